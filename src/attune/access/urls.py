from django.urls import path

from attune.access import views

app_name = "access"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("account/authenticator/", views.mfa_setup, name="mfa_setup"),
    path("agency/", views.agency, name="agency"),
    path("agency/staff/", views.staff_list, name="staff_list"),
    path("agency/staff/new/", views.staff_new, name="staff_new"),
    path(
        "agency/staff/<int:staff_id>/deactivate/",
        views.staff_deactivate,
        name="staff_deactivate",
    ),
    path("agency/trail/", views.trail_list, name="trail"),
]
