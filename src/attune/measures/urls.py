from django.urls import path

from attune.measures import fresh_link_views, sms_views, views

app_name = "measures"
urlpatterns = [
    path("sms/status/", sms_views.sms_status, name="sms_status"),
    path("sms/inbound/", sms_views.sms_inbound, name="sms_inbound"),
    path("signals/", views.signals_list, name="signals"),
    path("instruments/review/", views.instruments_review, name="instruments_review"),
    path(
        "instruments/<int:instrument_id>/accept/",
        views.instrument_accept,
        name="instrument_accept",
    ),
    path(
        "signals/<int:signal_id>/acknowledge/",
        views.signal_acknowledge,
        name="signal_acknowledge",
    ),
    path("signals/<int:signal_id>/close/", views.signal_close, name="signal_close"),
    path("clients/<int:client_id>/measures/", views.client_measures, name="client_measures"),
    path("clients/<int:client_id>/measures/send/", views.measure_send, name="measure_send"),
    path(
        "clients/<int:client_id>/measures/checkins/<int:checkin_id>/fresh-link/",
        fresh_link_views.checkin_fresh_link,
        name="checkin_fresh_link",
    ),
    path(
        "clients/<int:client_id>/measures/schedules/",
        views.schedule_create,
        name="schedule_create",
    ),
    path(
        "clients/<int:client_id>/measures/schedules/<int:schedule_id>/",
        views.schedule_change,
        name="schedule_change",
    ),
]
