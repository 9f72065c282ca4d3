"""Forms of supervision meetings: plan one, record it afterwards, close an action."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from attune.supervision.forms.pairs import DATE
from attune.supervision.models import ActionStatus, MeetingStatus

MAX_ACTIONS = 10


class MeetingPlanForm(forms.Form):
    meets_on = forms.DateField(
        label="Date of the meeting",
        widget=DATE,
        error_messages={"required": "Enter the date of the meeting."},
    )


class MeetingRecordForm(forms.Form):
    status = forms.ChoiceField(
        label="The meeting was", choices=MeetingStatus.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label="Notes",
        help_text="What was discussed. Refer to clients by case code.",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    actions = forms.CharField(
        label="Actions agreed (optional)",
        help_text=f"One per line, up to {MAX_ACTIONS}. Open actions come back on the next agenda.",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_actions(self):
        lines = [line.strip() for line in self.cleaned_data["actions"].splitlines() if line.strip()]
        if len(lines) > MAX_ACTIONS:
            raise ValidationError(f"Agree at most {MAX_ACTIONS} actions at once.")
        if any(len(line) > 300 for line in lines):
            raise ValidationError("Keep each action under 300 characters.")
        return lines

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("actions") and data.get("status") != MeetingStatus.HELD:
            self.add_error("actions", "Actions can be added once the meeting is marked held.")
        return data


class ActionCloseForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(ActionStatus.DONE, "Done"), (ActionStatus.DROPPED, "No longer needed")]
    )
