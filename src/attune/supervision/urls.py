from django.urls import path

from attune.supervision.views import supervisees

app_name = "supervision"
urlpatterns = [
    path("", supervisees.supervisees, name="supervisees"),
    path(
        "therapists/<int:therapist_id>/",
        supervisees.supervisee_caseload,
        name="supervisee_caseload",
    ),
]
