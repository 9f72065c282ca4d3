"""The supervision app's data, one module per topic; every model is importable from here."""

from attune.supervision.models.consultation import (
    CaseFeedback,
    CasePresentation,
    CaseStatus,
)
from attune.supervision.models.feedback import (
    FeedbackRelease,
    HumilityFeedback,
)
from attune.supervision.models.growth import (
    EntryKind,
    GoalKind,
    GoalStatus,
    GrowthEntry,
    GrowthGoal,
)
from attune.supervision.models.meetings import (
    ActionStatus,
    MeetingAction,
    MeetingStatus,
    SupervisionMeeting,
)

__all__ = [
    "ActionStatus",
    "CaseFeedback",
    "CasePresentation",
    "CaseStatus",
    "EntryKind",
    "FeedbackRelease",
    "GoalKind",
    "GoalStatus",
    "GrowthEntry",
    "GrowthGoal",
    "HumilityFeedback",
    "MeetingAction",
    "MeetingStatus",
    "SupervisionMeeting",
]
