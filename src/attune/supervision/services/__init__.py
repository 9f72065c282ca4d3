"""Every write of the supervision app, one module per topic; each function is importable here."""

from attune.supervision.services.consultation import (
    MembershipError,
    Refusal,
    case_draft_start,
    case_post,
    feedback_add,
    group_create,
    membership_add,
    membership_remove,
)
from attune.supervision.services.feedback import (
    AlreadyAnsweredError,
    FeedbackError,
    feedback_release_due,
    feedback_submit,
    release_period,
)
from attune.supervision.services.growth import (
    GrowthError,
    entry_add,
    goal_add,
    goal_change,
)
from attune.supervision.services.meetings import (
    MeetingError,
    StaleEditError,
    action_close,
    meeting_plan,
    meeting_record,
)
from attune.supervision.services.pairs import (
    PairError,
    pair_create,
    pair_end,
)

__all__ = [
    "AlreadyAnsweredError",
    "FeedbackError",
    "GrowthError",
    "MeetingError",
    "MembershipError",
    "PairError",
    "Refusal",
    "StaleEditError",
    "action_close",
    "case_draft_start",
    "case_post",
    "entry_add",
    "feedback_add",
    "feedback_release_due",
    "feedback_submit",
    "goal_add",
    "goal_change",
    "group_create",
    "meeting_plan",
    "meeting_record",
    "membership_add",
    "membership_remove",
    "pair_create",
    "pair_end",
    "release_period",
]
