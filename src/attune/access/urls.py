from django.urls import path

from attune.access import views

app_name = "access"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("account/authenticator/", views.mfa_setup, name="mfa_setup"),
]
