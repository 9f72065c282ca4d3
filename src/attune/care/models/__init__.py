"""The care app's data, one module per topic; every model is importable from here."""

from attune.care.models.reflections import (
    REFLECTION_PROMPTS,
    Reflection,
    ReflectionSharing,
    ReflectionTag,
    ReflectionTagging,
)
from attune.care.models.sessions import CancelledBy, SessionStatus, TherapySession

__all__ = [
    "REFLECTION_PROMPTS",
    "CancelledBy",
    "Reflection",
    "ReflectionSharing",
    "ReflectionTag",
    "ReflectionTagging",
    "SessionStatus",
    "TherapySession",
]
