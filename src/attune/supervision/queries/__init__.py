"""Reads of the supervision app, one module per topic; each function is importable from here."""

from attune.supervision.queries.agendas import (
    Agenda,
    AgendaItem,
    meeting_agenda,
    reflections_to_bring,
)
from attune.supervision.queries.feedback import (
    agency_feedback,
    feedback_target,
    feedback_to_give,
)
from attune.supervision.queries.growth import goal_for, growth_plan, plan_owner
from attune.supervision.queries.meetings import (
    action_for,
    meeting_actions,
    meeting_for,
    meetings_of,
    pair_for,
)
from attune.supervision.queries.pairs import (
    current_pair,
    current_pairs,
    in_force,
    pairs_for_leader,
    pairs_of_supervisee,
    supervisee_ids,
    supervisees_with_counts,
    supervisor_ids,
)

__all__ = [
    "Agenda",
    "AgendaItem",
    "action_for",
    "agency_feedback",
    "current_pair",
    "current_pairs",
    "feedback_target",
    "feedback_to_give",
    "goal_for",
    "growth_plan",
    "in_force",
    "meeting_actions",
    "meeting_agenda",
    "reflections_to_bring",
    "meeting_for",
    "meetings_of",
    "pair_for",
    "pairs_for_leader",
    "pairs_of_supervisee",
    "plan_owner",
    "supervisee_ids",
    "supervisees_with_counts",
    "supervisor_ids",
]
