from django.urls import path

from attune.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.supervisees, name="supervisees"),
    path("therapists/<int:therapist_id>/", views.supervisee_caseload, name="supervisee_caseload"),
]
