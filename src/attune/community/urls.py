from django.urls import path  # noqa: F401 - routes are added here

app_name = "community"
urlpatterns: list = []
