from django.urls import path

from attune.care.views import adaptations, notes, plans, reflections, repairs, sessions, today

app_name = "care"
urlpatterns = [
    path("today/", today.today, name="today"),
    path("clients/<int:client_id>/sessions/", sessions.session_list, name="session_list"),
    path(
        "clients/<int:client_id>/sessions/schedule/",
        sessions.session_schedule,
        name="session_schedule",
    ),
    path("sessions/<int:session_id>/held/", sessions.session_held, name="session_held"),
    path("sessions/<int:session_id>/cancel/", sessions.session_cancel, name="session_cancel"),
    path("sessions/<int:session_id>/no-show/", sessions.session_no_show, name="session_no_show"),
    path("reflections/", reflections.reflection_list, name="reflection_list"),
    path("reflections/new/", reflections.reflection_new, name="reflection_new"),
    path("reflections/shared/", reflections.shared_reflections, name="shared_reflections"),
    path(
        "reflections/<int:reflection_id>/", reflections.reflection_detail, name="reflection_detail"
    ),
    path(
        "reflections/<int:reflection_id>/edit/", reflections.reflection_edit, name="reflection_edit"
    ),
    path(
        "reflections/<int:reflection_id>/share/",
        reflections.reflection_share,
        name="reflection_share",
    ),
    path(
        "reflections/<int:reflection_id>/unshare/",
        reflections.reflection_unshare,
        name="reflection_unshare",
    ),
    path(
        "reflections/<int:reflection_id>/delete/",
        reflections.reflection_delete,
        name="reflection_delete",
    ),
    path("clients/<int:client_id>/repairs/", repairs.repair_list, name="repair_list"),
    path("clients/<int:client_id>/repairs/new/", repairs.repair_new, name="repair_new"),
    path("signals/<int:signal_id>/repair/", repairs.repair_from_signal, name="repair_from_signal"),
    path("repairs/<int:repair_id>/", repairs.repair_detail, name="repair_detail"),
    path("repairs/<int:repair_id>/edit/", repairs.repair_edit, name="repair_edit"),
    path("repairs/<int:repair_id>/close/", repairs.repair_close, name="repair_close"),
    path("clients/<int:client_id>/plan/", plans.plan_detail, name="plan_detail"),
    path("clients/<int:client_id>/plan/edit/", plans.plan_edit, name="plan_edit"),
    path("clients/<int:client_id>/plan/history/", plans.plan_history, name="plan_history"),
    path("clients/<int:client_id>/plan/link/", plans.plan_link, name="plan_link"),
    path(
        "clients/<int:client_id>/plan/client-view/", plans.client_view_set, name="client_view_set"
    ),
    path(
        "clients/<int:client_id>/adaptations/", adaptations.adaptation_list, name="adaptation_list"
    ),
    path(
        "clients/<int:client_id>/adaptations/new/",
        adaptations.adaptation_new,
        name="adaptation_new",
    ),
    path(
        "clients/<int:client_id>/adaptations/link/",
        adaptations.adaptation_link,
        name="adaptation_link",
    ),
    path(
        "adaptations/<int:adaptation_id>/edit/", adaptations.adaptation_edit, name="adaptation_edit"
    ),
    path(
        "adaptations/<int:adaptation_id>/feedback/",
        adaptations.adaptation_feedback,
        name="adaptation_feedback",
    ),
    path("clients/<int:client_id>/notes/", notes.note_list, name="note_list"),
    path("sessions/<int:session_id>/note/", notes.note_detail, name="note_detail"),
    path("sessions/<int:session_id>/note/write/", notes.note_write, name="note_write"),
    path("sessions/<int:session_id>/note/versions/", notes.note_history, name="note_history"),
]
