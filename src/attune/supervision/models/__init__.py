"""The supervision app's data, one module per topic; every model is importable from here."""

from attune.supervision.models.consultation import (
    CaseFeedback,
    CasePresentation,
    CaseStatus,
    ConsultationGroup,
    GroupMembership,
)
from attune.supervision.models.pairs import SupervisionPair

__all__ = [
    "CaseFeedback",
    "CasePresentation",
    "CaseStatus",
    "ConsultationGroup",
    "GroupMembership",
    "SupervisionPair",
]
