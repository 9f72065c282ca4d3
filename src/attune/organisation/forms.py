"""Forms of the self-assessment, action items and training records, with their messages."""

from __future__ import annotations

import re
from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from attune.organisation.models import (
    ActionOrigin,
    ActionStatus,
    ItemStatus,
    TrainingTopic,
)
from attune.organisation.services import DOCUMENT_EXTENSIONS, MAX_DOCUMENT_BYTES

DATE = forms.DateInput(attrs={"type": "date"})
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# An Attune page ("/organisation/…"), never "//host" or "/\host", which browsers treat as
# another site; or a web address.
ATTUNE_PATH = re.compile(r"^/(?![/\\])[^\s\\]*$")
WEB_ADDRESS = re.compile(r"^https?://[^\s\\]+$")


def active_staff():
    return get_user_model().objects.filter(is_active=True).order_by("display_name", "username")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj} ({obj.get_role_display()})"


class AssessmentForm(forms.Form):
    title = forms.CharField(max_length=200, label="Name of this assessment")
    started_on = forms.DateField(label="Started on", widget=DATE)
    languages_served = forms.CharField(
        max_length=400,
        required=False,
        label="Languages you offer services in directly",
        help_text="Language tags separated by commas, for example: en, es, ar. "
        "They appear on the public access statement.",
    )
    public_contact = forms.CharField(
        max_length=300,
        required=False,
        label="How the public can reach you about access or feedback",
        help_text="A phone number, an email address or an office. Shown on the public statement.",
    )

    def clean_languages_served(self) -> str:
        tags = [t.strip() for t in self.cleaned_data["languages_served"].split(",") if t.strip()]
        wrong = [tag for tag in tags if not LANGUAGE_TAG.match(tag)]
        if wrong:
            raise forms.ValidationError(
                "Use language tags such as es or zh-Hant; these are not: " + ", ".join(wrong)
            )
        return ", ".join(tags)


class AssessmentEditForm(AssessmentForm):
    completed_on = forms.DateField(label="Completed on", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["started_on"]


class ItemAnswerForm(forms.Form):
    status = forms.ChoiceField(choices=ItemStatus.choices, required=False, label="Status")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Notes")
    evidence_links = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Links to evidence",
        help_text="One a line: an Attune report, a shared document, a web page.",
    )
    assessed_on = forms.DateField(required=False, label="Date assessed", widget=DATE)

    def clean_evidence_links(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["evidence_links"].splitlines()]
        lines = [line for line in lines if line]
        for line in lines:
            if not (ATTUNE_PATH.match(line) or WEB_ADDRESS.match(line)):
                raise forms.ValidationError(
                    "Each link must start with https:// or, for an Attune page, with /."
                )
        return "\n".join(lines)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("status") and not data.get("assessed_on"):
            data["assessed_on"] = timezone.localdate()
        return data


class DocumentForm(forms.Form):
    document = forms.FileField(
        label="Upload a form or material to audit",
        help_text="Word (.docx), PDF, web page (.html) or text (.txt, .md), up to "
        f"{MAX_DOCUMENT_BYTES // 1000} kB. Only the audit is kept, not the file.",
        widget=forms.FileInput(attrs={"accept": ",".join(DOCUMENT_EXTENSIONS)}),
    )


class ActionItemForm(forms.Form):
    title = forms.CharField(max_length=200, label="What will change")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Details"
    )
    owner = StaffChoiceField(queryset=active_staff(), label="Owner")
    due_on = forms.DateField(required=False, label="Due on", widget=DATE)
    origin_kind = forms.ChoiceField(
        choices=ActionOrigin.choices, label="Where it comes from", initial=ActionOrigin.OTHER
    )
    origin = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="The finding or item, in its words",
        help_text="For an equity finding, paste its sentence from the equity report.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = active_staff()


class ActionEditForm(forms.Form):
    title = forms.CharField(max_length=200, label="What will change")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Details"
    )
    owner = StaffChoiceField(queryset=active_staff(), label="Owner")
    due_on = forms.DateField(required=False, label="Due on", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = active_staff()


class ProgressForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, label="Status")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Progress note", max_length=4000
    )


class TrainingForm(forms.Form):
    topic = forms.ChoiceField(choices=TrainingTopic.choices, label="Topic")
    title = forms.CharField(max_length=200, label="Title of the training")
    provider = forms.CharField(max_length=200, required=False, label="Given by")
    attended_on = forms.DateField(label="Date", widget=DATE)
    hours = forms.DecimalField(
        min_value=0.5, max_value=200, decimal_places=1, label="Hours", initial=1
    )
    reflection = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label="Your reflection",
        help_text="What you learned, what you will do differently. Only you see this; "
        "leaders see hours and topics.",
    )

    def clean_attended_on(self):
        value = self.cleaned_data["attended_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Record a training once it has taken place.")
        return value
