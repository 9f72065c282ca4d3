from django.urls import path

from attune.care.views import reflections, sessions, today

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
]
