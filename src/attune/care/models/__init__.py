"""The care app's data, one module per topic; every model is importable from here."""

from attune.care.models.repairs import CLOSED_STATUSES, RepairLog, RepairStatus
from attune.care.models.sessions import CancelledBy, SessionStatus, TherapySession

__all__ = [
    "CLOSED_STATUSES",
    "CancelledBy",
    "RepairLog",
    "RepairStatus",
    "SessionStatus",
    "TherapySession",
]
