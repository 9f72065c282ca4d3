from django.urls import path

from attune.language import views

app_name = "language"
urlpatterns = [
    path("agency/language-audit/", views.document_audit, name="document_audit"),
    path("agency/language-audit/report/", views.report_download, name="report_download"),
    path("notes/check/", views.note_check, name="note_check"),
]
