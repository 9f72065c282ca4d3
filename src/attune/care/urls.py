from django.urls import path

from attune.care.views import sessions, today

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
]
