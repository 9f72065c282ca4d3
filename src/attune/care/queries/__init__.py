"""Reads of the care app, one module per topic; each function is importable from here."""

from attune.care.queries.reflections import (
    my_reflections,
    open_sharings,
    reflection_to_change,
    reflection_to_read,
    shared_reflections,
    shared_with_me,
    sharing_history,
)
from attune.care.queries.sessions import client_sessions, session_for_action
from attune.care.queries.today import today

__all__ = [
    "client_sessions",
    "my_reflections",
    "open_sharings",
    "reflection_to_change",
    "reflection_to_read",
    "session_for_action",
    "shared_reflections",
    "shared_with_me",
    "sharing_history",
    "today",
]
