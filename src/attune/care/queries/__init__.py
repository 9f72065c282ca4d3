"""Reads of the care app, one module per topic; each function is importable from here."""

from attune.care.queries.adaptations import (
    adaptation_for_action,
    adaptations_for_link,
    client_adaptations,
)
from attune.care.queries.notes import (
    client_notes,
    note_for_view,
    note_for_writing,
    note_versions,
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
from attune.care.queries.reflections import (
    my_reflections,
    open_sharings,
    reflection_to_change,
    reflection_to_read,
    shared_reflections,
    shared_with_me,
    sharing_history,
)
from attune.care.queries.repairs import (
    client_for_repair,
    client_repairs,
    repair_for_change,
    repair_for_view,
    repair_progress,
    repairs_due,
    repairs_for_supervision,
    signal_for_repair,
)
from attune.care.queries.sessions import (
    client_sessions,
    session_for_action,
    session_to_confirm,
    sessions_glance,
)
from attune.care.queries.today import (
    today,
)

__all__ = [
    "adaptation_for_action",
    "adaptations_for_link",
    "client_adaptations",
    "client_notes",
    "client_for_repair",
    "client_own_view",
    "client_page_section",
    "client_plan",
    "client_repairs",
    "client_sessions",
    "session_to_confirm",
    "sessions_glance",
    "current_goals",
    "my_reflections",
    "note_for_view",
    "note_for_writing",
    "note_versions",
    "open_sharings",
    "plan_for_editing",
    "plan_for_link",
    "plan_history",
    "plans_due_for_review",
    "reflection_to_change",
    "reflection_to_read",
    "repair_for_change",
    "repair_for_view",
    "repair_progress",
    "repairs_due",
    "repairs_for_supervision",
    "session_for_action",
    "shared_reflections",
    "shared_with_me",
    "sharing_history",
    "signal_for_repair",
    "today",
]
