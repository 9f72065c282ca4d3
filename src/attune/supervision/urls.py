from django.urls import path

from attune.supervision.views import agendas, feedback, growth, meetings, mine, pairs, supervisees

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
]
