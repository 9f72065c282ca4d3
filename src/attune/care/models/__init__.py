"""The care app's data, one module per topic; every model is importable from here."""

from attune.care.models.reflections import (
    REFLECTION_PROMPTS,
    Reflection,
    ReflectionSharing,
    ReflectionTag,
    ReflectionTagging,
)
from attune.care.models.repairs import (
    CLOSED_STATUSES,
    RepairLog,
    RepairStatus,
)
from attune.care.models.sessions import (
    CancelledBy,
    SessionStatus,
    TherapySession,
)

__all__ = [
    "CLOSED_STATUSES",
    "CancelledBy",
    "REFLECTION_PROMPTS",
    "Reflection",
    "ReflectionSharing",
    "ReflectionTag",
    "ReflectionTagging",
    "RepairLog",
    "RepairStatus",
    "SessionStatus",
    "TherapySession",
]
