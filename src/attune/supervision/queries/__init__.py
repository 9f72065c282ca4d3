"""Reads of the supervision app, one module per topic; each function is importable from here."""

from attune.supervision.queries.agendas import (
    Agenda,
    AgendaItem,
    meeting_agenda,
    reflections_to_bring,
)
from attune.supervision.queries.consultation import (
    case_for_member,
    case_identifiers,
    client_for_presentation,
    draft_for_presenter,
    group_for_leader,
    group_for_member,
    group_for_presenter,
    groups_for,
    prefill,
    record_identifiers,
)
from attune.supervision.queries.feedback import (
    agency_feedback,
    feedback_target,
    feedback_to_give,
)
from attune.supervision.queries.growth import (
    goal_for,
    growth_plan,
    plan_owner,
)
from attune.supervision.queries.meetings import (
    action_for,
    meeting_actions,
    meeting_for,
    meetings_of,
    pair_for,
)
from attune.supervision.queries.pairs import (
    current_pair,
    in_force,
    pairs_for_leader,
    pairs_of_supervisee,
    supervisees_with_counts,
)

__all__ = [
    "Agenda",
    "AgendaItem",
    "action_for",
    "agency_feedback",
    "case_for_member",
    "case_identifiers",
    "client_for_presentation",
    "current_pair",
    "draft_for_presenter",
    "feedback_target",
    "feedback_to_give",
    "goal_for",
    "group_for_leader",
    "group_for_member",
    "group_for_presenter",
    "groups_for",
    "growth_plan",
    "in_force",
    "meeting_actions",
    "meeting_agenda",
    "meeting_for",
    "meetings_of",
    "pair_for",
    "pairs_for_leader",
    "pairs_of_supervisee",
    "plan_owner",
    "prefill",
    "record_identifiers",
    "reflections_to_bring",
    "supervisees_with_counts",
]
