"""Forms of the therapy-session pages: schedule, mark held (with the client's goals), cancel."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from attune.care.models import CancelledBy, InterpreterUse
from attune.measures.goals import CLIENT_NAMED_GOALS_LIMIT


class ScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "Enter the date and time of the session."},
    )

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


class HeldForm(forms.Form):
    goals = forms.CharField(
        label="Goals the client named (optional)",
        help_text=(
            f"One per line, up to {CLIENT_NAMED_GOALS_LIMIT}, in the client's own words. "
            "The check-in then asks how far along they feel with each."
        ),
        required=False,
        max_length=900,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Asked only of clients who need an interpreter or are not sure (see session_list.html).
    interpreter = forms.ChoiceField(
        label="Interpreter at this session",
        choices=InterpreterUse.choices,
        required=False,
        error_messages={"invalid_choice": "Choose one of the interpreter answers."},
    )

    def clean_goals(self):
        goals = [line.strip() for line in self.cleaned_data["goals"].splitlines() if line.strip()]
        if len(goals) > CLIENT_NAMED_GOALS_LIMIT:
            raise ValidationError(f"Name at most {CLIENT_NAMED_GOALS_LIMIT} goals.")
        if any(len(goal) > 200 for goal in goals):
            raise ValidationError("Keep each goal under 200 characters.")
        return goals


class CancelForm(forms.Form):
    cancelled_by = forms.ChoiceField(
        label="Who cancelled", choices=CancelledBy.choices, widget=forms.RadioSelect
    )
