"""Forms of the supervision app, one module per topic."""

from attune.supervision.forms.consultation import (
    CaseConfirmForm,
    CaseSourceForm,
    FeedbackForm,
    GroupForm,
    MemberForm,
)

__all__ = [
    "CaseConfirmForm",
    "CaseSourceForm",
    "FeedbackForm",
    "GroupForm",
    "MemberForm",
]
