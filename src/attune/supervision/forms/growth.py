"""Forms of the growth plan: a goal, a change to it, and evidence or a progress review."""

from __future__ import annotations

from django import forms

from attune.supervision.forms.pairs import DATE
from attune.supervision.models import EntryKind, GoalKind, GoalStatus


class GoalForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of goal",
        choices=GoalKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of goal."},
    )
    title = forms.CharField(
        label="Goal", max_length=200, error_messages={"required": "Name the goal."}
    )
    description = forms.CharField(
        label="What it involves (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    target_on = forms.DateField(label="Target date (optional)", required=False, widget=DATE)


class GoalChangeForm(GoalForm):
    status = forms.ChoiceField(label="Status", choices=GoalStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label="Add",
        choices=[(EntryKind.EVIDENCE, "Evidence"), (EntryKind.REVIEW, "A progress review")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose evidence or a progress review."},
    )
    text = forms.CharField(
        label="Text",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the evidence or review."},
    )
