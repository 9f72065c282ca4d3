from django.urls import path

from attune.clients import client_pages, views

app_name = "clients"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("clients/new/", views.client_new, name="client_new"),
    path("clients/<int:client_id>/", views.client_detail, name="client_detail"),
    path("clients/<int:client_id>/edit/", views.client_edit, name="client_edit"),
    path("clients/<int:client_id>/billing/", views.client_billing, name="client_billing"),
    path("clients/<int:client_id>/links/", views.client_link_new, name="client_link_new"),
    path("clients/<int:client_id>/identity/", views.client_identity_edit, name="identity_edit"),
    path(
        "clients/<int:client_id>/formulation/",
        views.client_formulation_edit,
        name="formulation_edit",
    ),
    path("clients/<int:client_id>/history/", views.client_history, name="client_history"),
    path("clients/<int:client_id>/fhir/patient/", views.client_fhir_patient, name="fhir_patient"),
    path("break-glass/", views.break_glass, name="break_glass"),
    # Client-facing pages: no account, a private link exchanged for a short session.
    path("c/", client_pages.client_home, name="client_home"),
    path("c/language/", client_pages.client_language, name="client_language"),
    path("c/<str:token>/", client_pages.link_open, name="link_open"),
]
