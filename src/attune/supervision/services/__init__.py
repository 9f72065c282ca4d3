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

__all__ = [
    "MembershipError",
    "Refusal",
    "case_draft_start",
    "case_post",
    "feedback_add",
    "group_create",
    "membership_add",
    "membership_remove",
]
