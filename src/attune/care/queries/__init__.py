"""Reads of the care app, one module per topic; each function is importable from here."""

from attune.care.queries.adaptations import (
    adaptation_for_action,
    adaptations_for_link,
    client_adaptations,
)
from attune.care.queries.plans import (
    client_own_view,
    client_page_section,
    client_plan,
    current_goals,
    plan_for_editing,
    plan_for_link,
    plan_history,
    plans_due_for_review,
)
from attune.care.queries.sessions import client_sessions, session_for_action

__all__ = [
    "adaptation_for_action",
    "adaptations_for_link",
    "client_adaptations",
    "client_own_view",
    "client_page_section",
    "client_plan",
    "client_sessions",
    "current_goals",
    "plan_for_editing",
    "plan_for_link",
    "plan_history",
    "plans_due_for_review",
    "session_for_action",
]
