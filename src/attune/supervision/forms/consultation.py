"""Forms of consultation groups: a group, a member, a case presentation and a reply."""

from __future__ import annotations

import uuid
from typing import cast

from django import forms
from django.core.exceptions import ValidationError

from attune.access.models import Role, StaffUser
from attune.supervision.services.consultation import extra_identifiers

TEXT_LIMIT = 8000


class GroupForm(forms.Form):
    name = forms.CharField(
        label="Name of the group",
        max_length=120,
        error_messages={"required": "Give the group a name."},
    )
    purpose = forms.CharField(
        label="What the group is for (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StaffChoiceField(forms.ModelChoiceField):
    """A choice of staff members, each shown with their role."""

    def label_from_instance(self, obj: StaffUser) -> str:
        return f"{obj} ({obj.get_role_display()})"


class MemberForm(forms.Form):
    member = StaffChoiceField(
        label="Add a therapist or supervisor",
        queryset=StaffUser.objects.none(),
        empty_label="Choose someone",
        error_messages={"required": "Choose who to add.", "invalid_choice": "Choose who to add."},
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        member = cast(forms.ModelChoiceField, self.fields["member"])
        member.queryset = (
            choices
            if choices is not None
            else StaffUser.objects.filter(role__in=[Role.THERAPIST, Role.SUPERVISOR])
        )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CaseSourceForm(forms.Form):
    """What the presenter writes, with the record's identifiers they add.  Never stored."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A few words the group will see in the list, for example: “Working across "
        "languages with a family's expectations”.",
        error_messages={"required": "Give the case a short title."},
    )
    question = forms.CharField(
        label="Question for the group",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write what you would like to ask the group."},
    )
    context = forms.CharField(
        label="Context",
        required=False,
        max_length=TEXT_LIMIT,
        help_text="Started from the record, in the client's own words. Keep only what the "
        "group needs.",
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    other_names = forms.CharField(
        label="Other people's names to remove (optional)",
        required=False,
        max_length=2000,
        help_text="One per line: family, partners, friends, other professionals.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    places = forms.CharField(
        label="Places to remove (optional)",
        required=False,
        max_length=2000,
        help_text="One per line: the client's address, town, school, workplace, place of worship.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    birth_date = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        help_text="Removed from the text in any format it is written in.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date such as 1987-03-15."},
    )

    def source(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in ("title", "question", "context")}

    def extra(self) -> dict:
        return extra_identifiers(
            other_names=_lines(self.cleaned_data.get("other_names", "")),
            places=_lines(self.cleaned_data.get("places", "")),
            birth_date=self.cleaned_data.get("birth_date"),
        )


class CaseConfirmForm(CaseSourceForm):
    """The preview's form: the original (hidden) and the de-identified text, editable."""

    final_title = forms.CharField(label="Title", max_length=200, required=False)
    final_question = forms.CharField(
        label="Question for the group",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    final_context = forms.CharField(
        label="Context",
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    confirm = forms.BooleanField(
        label="I have read the de-identified text. Nothing in it identifies my client, and I "
        "take responsibility for posting it.",
        error_messages={"required": "Confirm that you have read the de-identified text."},
    )

    HIDDEN = ("title", "question", "context", "other_names", "places", "birth_date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.HIDDEN:
            self.fields[name].widget = forms.HiddenInput()

    def final(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"final_{name}", "")
            for name in ("title", "question", "context")
        }


class FeedbackForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write your reply."},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput())
    submission_key = forms.UUIDField(widget=forms.HiddenInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError("Write your reply.")
        return body
