"""Forms of the leader's supervision pairs page."""

from __future__ import annotations

from django import forms

from attune.access.models import Role, StaffUser

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class PairForm(forms.Form):
    supervisor = StaffChoice(
        queryset=StaffUser.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by(
            "display_name", "username"
        ),
        error_messages={"required": "Choose the supervisor."},
    )
    supervisee = StaffChoice(
        label="Supervisee (therapist)",
        queryset=StaffUser.objects.filter(role=Role.THERAPIST, is_active=True).order_by(
            "display_name", "username"
        ),
        error_messages={"required": "Choose the therapist to be supervised."},
    )
    starts_on = forms.DateField(
        label="Starts on",
        widget=DATE,
        error_messages={"required": "Enter the first day of supervision."},
    )


class PairEndForm(forms.Form):
    ends_on = forms.DateField(
        label="Last day",
        widget=DATE,
        error_messages={"required": "Enter the last day of supervision."},
    )
