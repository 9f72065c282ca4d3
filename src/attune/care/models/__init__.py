"""The care app's data, one module per topic; every model is importable from here."""

from attune.care.models.adaptations import (
    AdaptationArea,
    AdaptationFeedback,
    AdaptationFit,
    CulturalAdaptation,
)
from attune.care.models.notes import SessionNote
from attune.care.models.plans import (
    AgreementAnswer,
    ClientViewChoice,
    ClientViewMode,
    PlanAgreement,
    TreatmentPlan,
)
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
    InterpreterUse,
    SessionStatus,
    TherapySession,
)

__all__ = [
    "AdaptationArea",
    "AdaptationFeedback",
    "AdaptationFit",
    "AgreementAnswer",
    "CLOSED_STATUSES",
    "CancelledBy",
    "ClientViewChoice",
    "ClientViewMode",
    "CulturalAdaptation",
    "InterpreterUse",
    "PlanAgreement",
    "REFLECTION_PROMPTS",
    "Reflection",
    "ReflectionSharing",
    "ReflectionTag",
    "ReflectionTagging",
    "RepairLog",
    "RepairStatus",
    "SessionNote",
    "SessionStatus",
    "TherapySession",
    "TreatmentPlan",
]
