"""Reads of the care app, one module per topic; each function is importable from here."""

from attune.care.queries.sessions import client_sessions, session_for_action
from attune.care.queries.today import today

__all__ = ["client_sessions", "session_for_action", "today"]
