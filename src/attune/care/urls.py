from django.urls import path

from attune.care.views import adaptations, plans, sessions

app_name = "care"
urlpatterns = [
    path("clients/<int:client_id>/sessions/", sessions.session_list, name="session_list"),
    path(
        "clients/<int:client_id>/sessions/schedule/",
        sessions.session_schedule,
        name="session_schedule",
    ),
    path("sessions/<int:session_id>/held/", sessions.session_held, name="session_held"),
    path("sessions/<int:session_id>/cancel/", sessions.session_cancel, name="session_cancel"),
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
]
