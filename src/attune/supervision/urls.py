from django.urls import path

from attune.supervision.views import consultation, supervisees

app_name = "supervision"
urlpatterns = [
    path("", supervisees.supervisees, name="supervisees"),
    path(
        "therapists/<int:therapist_id>/",
        supervisees.supervisee_caseload,
        name="supervisee_caseload",
    ),
    path("consultation/", consultation.group_list, name="consultation_groups"),
    path("consultation/new/", consultation.group_new, name="consultation_group_new"),
    path("consultation/<int:group_id>/", consultation.group_detail, name="consultation_group"),
    path(
        "consultation/<int:group_id>/members/",
        consultation.group_members,
        name="consultation_members",
    ),
    path(
        "consultation/members/<int:membership_id>/remove/",
        consultation.member_remove,
        name="consultation_member_remove",
    ),
    path(
        "consultation/<int:group_id>/present/",
        consultation.case_pick_client,
        name="consultation_pick_client",
    ),
    path(
        "consultation/<int:group_id>/present/<int:client_id>/",
        consultation.case_new,
        name="consultation_case_new",
    ),
    path(
        "consultation/drafts/<int:case_id>/", consultation.case_post, name="consultation_case_post"
    ),
    path("consultation/cases/<int:case_id>/", consultation.case_detail, name="consultation_case"),
    path(
        "consultation/cases/<int:case_id>/reply/",
        consultation.case_reply,
        name="consultation_case_reply",
    ),
]
