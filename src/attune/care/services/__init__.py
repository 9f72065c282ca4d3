"""Every write of the care app, one module per topic; each function is importable from here."""

from attune.care.services.adaptations import (
    AdaptationVersionConflict,
    adaptation_create,
    adaptation_feedback_link_issue,
    adaptation_feedback_record,
    adaptation_feedback_submit,
    adaptation_update,
)
from attune.care.services.plans import (
    Goal,
    PlanVersionConflict,
    client_view_set,
    plan_agreement_submit,
    plan_link_issue,
    plan_save,
)
from attune.care.services.sessions import (
    HeldSession,
    SessionStateError,
    session_cancel,
    session_mark_held,
    session_mark_no_show,
    session_schedule,
)

__all__ = [
    "AdaptationVersionConflict",
    "Goal",
    "HeldSession",
    "PlanVersionConflict",
    "SessionStateError",
    "adaptation_create",
    "adaptation_feedback_link_issue",
    "adaptation_feedback_record",
    "adaptation_feedback_submit",
    "adaptation_update",
    "client_view_set",
    "plan_agreement_submit",
    "plan_link_issue",
    "plan_save",
    "session_cancel",
    "session_mark_held",
    "session_mark_no_show",
    "session_schedule",
]
