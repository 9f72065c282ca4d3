from django.urls import path

from attune.agency import views

app_name = "agency"
urlpatterns = [
    path("agency/", views.overview, name="overview"),
    path("agency/staff/", views.staff_list, name="staff_list"),
    path("agency/staff/new/", views.staff_new, name="staff_new"),
    path(
        "agency/staff/<int:staff_id>/deactivate/",
        views.staff_deactivate,
        name="staff_deactivate",
    ),
    path("agency/trail/", views.trail_list, name="trail"),
]
