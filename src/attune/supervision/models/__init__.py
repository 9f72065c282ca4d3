"""The supervision app's data, one module per topic; every model is importable from here."""

from attune.supervision.models.feedback import FeedbackRelease, HumilityFeedback
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
from attune.supervision.models.pairs import SupervisionPair

__all__ = [
    "ActionStatus",
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
    "SupervisionPair",
]
