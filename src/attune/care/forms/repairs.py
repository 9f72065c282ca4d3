"""Forms of the repair-log pages: open (from a signal or by hand), edit, close."""

from __future__ import annotations

from typing import TypedDict, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from attune.care.models import CLOSED_STATUSES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_LIMIT = 4000


def _words(label: str, help_text: str, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        error_messages={"required": "Say what happened, in a sentence or two."},
    )


class RepairTexts(TypedDict):
    """The words of a repair log, as ``repair_open`` and ``repair_edit`` take them."""

    what_happened: str
    client_impact: str
    acknowledgement: str
    apology: str
    commitment: str


class RepairForm(forms.Form):
    """Open or edit a log.  ``by_hand`` adds the day it happened; ``saved`` is the stored log."""

    what_happened = _words(
        "What happened, in your words",
        "What you noticed, said or did that strained the relationship.",
        required=True,
    )
    client_impact = _words(
        "Its impact, as the client described it",
        "Their words where you can; leave blank if not yet talked about.",
    )
    acknowledgement = _words("How you acknowledged it", "What you said to name what happened.")
    apology = _words("Your apology", "If you apologised, what you said.")
    commitment = _words(
        "What you commit to", "What you will do differently, in terms the client can check."
    )
    occurred_on = forms.DateField(
        label="When it happened",
        widget=DATE,
        help_text="The client's baseline is read from the check-ins before this day.",
        error_messages={"required": "Enter the day it happened.", "invalid": "Enter a date."},
    )
    follow_up_on = forms.DateField(
        label="Follow up by",
        widget=DATE,
        help_text="When you will come back to it with the client.",
        error_messages={"required": "Enter a follow-up date.", "invalid": "Enter a date."},
    )

    def __init__(self, *args, by_hand: bool = False, saved=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved = saved
        if not by_hand:
            del self.fields["occurred_on"]

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise ValidationError("The day it happened cannot be in the future.")
        return value

    def clean_follow_up_on(self):
        value = self.cleaned_data["follow_up_on"]
        unchanged = self.saved is not None and value == self.saved.follow_up_on
        if value < timezone.localdate() and not unchanged:
            raise ValidationError("The follow-up date is in the past; choose today or later.")
        return value

    def texts(self) -> RepairTexts:
        names = ("what_happened", "client_impact", "acknowledgement", "apology", "commitment")
        return cast(RepairTexts, {name: self.cleaned_data[name] for name in names})


class RepairEditForm(RepairForm):
    """Edit an open log; ``version`` is the version the form was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CloseRepairForm(forms.Form):
    outcome = forms.ChoiceField(
        label="How did the repair turn out?",
        choices=[(status.value, status.label) for status in CLOSED_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the repair turned out."},
    )
    closed_on = forms.DateField(
        label="Date",
        widget=DATE,
        help_text="The day you and the client talked it over, or the last contact.",
        error_messages={"required": "Enter the date.", "invalid": "Enter a date."},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )

    def __init__(self, *args, log=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.log = log

    def clean_closed_on(self):
        value = self.cleaned_data["closed_on"]
        if value > timezone.localdate():
            raise ValidationError("The date cannot be in the future.")
        if self.log is not None and value < timezone.localtime(self.log.opened_at).date():
            raise ValidationError("The date cannot be before the log was opened.")
        return value
