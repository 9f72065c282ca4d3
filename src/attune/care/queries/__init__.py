"""Reads of the care app, one module per topic; each function is importable from here."""

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
from attune.care.queries.sessions import client_sessions, session_for_action

__all__ = [
    "client_for_repair",
    "client_repairs",
    "client_sessions",
    "repair_for_change",
    "repair_for_view",
    "repair_progress",
    "repairs_due",
    "repairs_for_supervision",
    "session_for_action",
    "signal_for_repair",
]
