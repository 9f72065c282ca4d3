"""The care app's data, one module per topic; every model is importable from here."""

from attune.care.models.sessions import CancelledBy, SessionStatus, TherapySession

__all__ = ["CancelledBy", "SessionStatus", "TherapySession"]
