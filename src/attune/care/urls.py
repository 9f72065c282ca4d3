from django.urls import path

from attune.care import views

app_name = "care"
urlpatterns = [
    path("clients/<int:client_id>/sessions/", views.session_list, name="session_list"),
    path(
        "clients/<int:client_id>/sessions/schedule/",
        views.session_schedule,
        name="session_schedule",
    ),
    path("sessions/<int:session_id>/held/", views.session_held, name="session_held"),
    path("sessions/<int:session_id>/cancel/", views.session_cancel, name="session_cancel"),
]
