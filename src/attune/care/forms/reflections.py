"""Forms of the reflection journal: an entry, the search of one's own entries, sharing."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError

from attune.care.models import REFLECTION_PROMPTS, ReflectionTag

DATE = forms.DateInput(attrs={"type": "date"})
ANSWER_LIMIT = 4000
NOTE_LIMIT = 10000


def answer_field_name(code: str) -> str:
    return f"answer_{code}"


class ReflectionForm(forms.Form):
    """The prompts, a free note, tags and an optional client of the author's own caseload.

    ``clients`` is the author's caseload as (id, chosen name); the session, when the entry
    follows one, travels as a hidden field and is checked by the view against the caseload.
    """

    text = forms.CharField(
        label="Anything else on your mind",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    tags = forms.MultipleChoiceField(
        label="Tags",
        choices=ReflectionTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    client = forms.TypedChoiceField(
        label="About a client (optional)",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Only you can read the entry, whether or not it names a client.",
    )
    session = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, clients: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        prompt_fields = {
            answer_field_name(code): forms.CharField(
                label=question,
                required=False,
                max_length=ANSWER_LIMIT,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            for code, question in REFLECTION_PROMPTS
        }
        # The prompts come first, in their order, then the note, tags and links.
        self.fields = {**prompt_fields, **self.fields}
        cast(forms.ChoiceField, self.fields["client"]).choices = [("", "No client"), *clients]

    def prompt_fields(self):
        return [self[answer_field_name(code)] for code, _question in REFLECTION_PROMPTS]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        answers = {
            code: (cleaned.get(answer_field_name(code)) or "").strip()
            for code, _question in REFLECTION_PROMPTS
        }
        if (
            not any(answers.values())
            and not (cleaned.get("text") or "").strip()
            and not self.errors
        ):
            raise ValidationError("Answer at least one question or write a note.")
        cleaned["answers"] = {code: answer for code, answer in answers.items() if answer}
        return cleaned


class ReflectionSearchForm(forms.Form):
    words = forms.CharField(label="Words", required=False, max_length=200)
    tag = forms.ChoiceField(
        label="Tag", required=False, choices=[("", "Any tag"), *ReflectionTag.choices]
    )
    client = forms.TypedChoiceField(label="Client", required=False, coerce=int, empty_value=None)
    since = forms.DateField(label="Written from", required=False, widget=DATE)
    until = forms.DateField(label="Written until", required=False, widget=DATE)

    def __init__(self, *args, clients: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["client"]).choices = [
            ("", "Any client or none"),
            *clients,
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise ValidationError("The first date must not be after the second.")
        return cleaned


class ShareForm(forms.Form):
    supervisor = forms.TypedChoiceField(label="Share with", coerce=int)

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["supervisor"]).choices = [
            (person.pk, str(person)) for person in supervisors
        ]
