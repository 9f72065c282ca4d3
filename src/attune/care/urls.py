from django.urls import path

from attune.care.views import repairs, sessions

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
    path("clients/<int:client_id>/repairs/", repairs.repair_list, name="repair_list"),
    path("clients/<int:client_id>/repairs/new/", repairs.repair_new, name="repair_new"),
    path("signals/<int:signal_id>/repair/", repairs.repair_from_signal, name="repair_from_signal"),
    path("repairs/<int:repair_id>/", repairs.repair_detail, name="repair_detail"),
    path("repairs/<int:repair_id>/edit/", repairs.repair_edit, name="repair_edit"),
    path("repairs/<int:repair_id>/close/", repairs.repair_close, name="repair_close"),
]
