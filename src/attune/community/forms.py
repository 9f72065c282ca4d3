"""Forms for partners, referrals and the client's feedback on a referral."""

from __future__ import annotations

import re
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attune.community.models import Answer, FollowUp, Partner, PartnerKind

DATE = forms.DateInput(attrs={"type": "date"})
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class PartnerForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name of the organisation")
    kinds = forms.MultipleChoiceField(
        choices=PartnerKind.choices,
        widget=forms.CheckboxSelectMultiple,
        label="What they offer",
    )
    languages = forms.CharField(
        max_length=400,
        required=False,
        label="Languages they serve",
        help_text="Language tags separated by commas, for example: es, ar, so, ase.",
    )
    populations = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Communities they serve",
        help_text="In the words the organisation uses about itself.",
    )
    contact = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="How to reach them"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Notes")

    def clean_languages(self) -> str:
        tags = [t.strip() for t in self.cleaned_data["languages"].split(",") if t.strip()]
        wrong = [tag for tag in tags if not LANGUAGE_TAG.match(tag)]
        if wrong:
            raise forms.ValidationError(
                "Use language tags such as es or zh-Hant; these are not: " + ", ".join(wrong)
            )
        return ", ".join(tags)


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Partner.objects.all(), label="Refer to")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="What the client hopes for from them",
        help_text="In the client's words where you can.",
    )
    consent = forms.BooleanField(
        label="The client agreed to this referral and to us sharing what the partner needs",
        error_messages={"required": "A referral needs the client's consent. Ask them first."},
    )
    consent_given_on = forms.DateField(label="Date the client agreed", widget=DATE)
    follow_up_on = forms.DateField(required=False, label="Follow up on", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = Partner.objects.all()

    def clean_consent_given_on(self):
        value = self.cleaned_data["consent_given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The client's consent cannot be in the future.")
        return value


class FollowUpForm(forms.Form):
    follow_up = forms.ChoiceField(choices=FollowUp.choices, label="How it went")
    follow_up_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Notes"
    )
    follow_up_on = forms.DateField(required=False, label="Next follow-up", widget=DATE)


ANSWERS = [
    (Answer.YES, _("Yes")),
    (Answer.PARTLY, _("Partly")),
    (Answer.NO, _("No")),
    (Answer.PREFER_NOT, _("I prefer not to say")),
]


class ReferralFeedbackForm(forms.Form):
    """What the client is asked, in their language."""

    helpful = forms.ChoiceField(
        choices=ANSWERS,
        widget=forms.RadioSelect,
        label=_("Was this organisation helpful to you?"),
        error_messages={"required": _("Choose an answer, or “I prefer not to say”.")},
    )
    respected = forms.ChoiceField(
        choices=ANSWERS,
        widget=forms.RadioSelect,
        label=_("Did you feel respected there?"),
        error_messages={"required": _("Choose an answer, or “I prefer not to say”.")},
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        required=False,
        max_length=4000,
        label=_("Anything you would like us to know (optional)"),
    )
