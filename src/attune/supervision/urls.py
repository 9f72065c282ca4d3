from django.urls import path

from attune.supervision.views import (
    agendas,
    consultation,
    feedback,
    growth,
    meetings,
    mine,
    pairs,
    supervisees,
)

app_name = "supervision"
urlpatterns = [
    path("", supervisees.supervisees, name="supervisees"),
    path(
        "therapists/<int:therapist_id>/",
        supervisees.supervisee_caseload,
        name="supervisee_caseload",
    ),
    path("mine/", mine.mine, name="mine"),
    path("pairs/", pairs.pair_list, name="pairs"),
    path("pairs/new/", pairs.pair_new, name="pair_new"),
    path("pairs/<int:pair_id>/end/", pairs.pair_end, name="pair_end"),
    path("pairs/<int:pair_id>/meetings/", meetings.meeting_list, name="meetings"),
    path("pairs/<int:pair_id>/meetings/plan/", meetings.meeting_plan, name="meeting_plan"),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/record/", meetings.meeting_record, name="meeting_record"),
    path("meetings/<int:meeting_id>/agenda/", agendas.agenda, name="agenda"),
    path("meetings/<int:meeting_id>/agenda.pdf", agendas.agenda_pdf, name="agenda_pdf"),
    path("actions/<int:action_id>/close/", meetings.action_close, name="action_close"),
    path("therapists/<int:therapist_id>/growth/", growth.growth_plan, name="growth_plan"),
    path("therapists/<int:therapist_id>/growth/goals/", growth.goal_add, name="goal_add"),
    path("goals/<int:goal_id>/", growth.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/entries/", growth.entry_add, name="entry_add"),
    path("feedback/<int:supervisor_id>/", feedback.feedback_form, name="feedback_form"),
    path("feedback/results/", feedback.feedback_results, name="feedback_results"),
    path("feedback/agency/", feedback.agency_feedback, name="agency_feedback"),
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
