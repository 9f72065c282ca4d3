"""The leader's equity dashboard."""

from django.urls import path

from attune.equity import views

app_name = "equity"

urlpatterns = [
    path("equity/", views.dashboard, name="dashboard"),
    path("equity/report.pdf", views.report_pdf, name="report_pdf"),
    path("equity/refresh/", views.refresh, name="refresh"),
]
