"""Forms of cultural adaptations and the client's feedback on them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from attune.care.forms.plans import WithoutLabelSuffix
from attune.care.models import AdaptationArea, AdaptationFit

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AdaptationForm(forms.Form):
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)
    area = forms.ChoiceField(label="What was adapted", choices=AdaptationArea.choices)
    what = forms.CharField(
        label="How it is adapted",
        help_text="For example: sessions in Spanish with English terms the client prefers.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say how the therapy is adapted."},
    )
    why = forms.CharField(
        label="Why",
        help_text="What the client said or wanted; what you noticed.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    started_on = forms.DateField(
        label="Started on",
        widget=DATE_WIDGET,
        error_messages={"required": "Enter when the adaptation started."},
    )
    stopped_on = forms.DateField(
        label="Stopped on (leave empty while it continues)", required=False, widget=DATE_WIDGET
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        started, stopped = cleaned.get("started_on"), cleaned.get("stopped_on")
        if started and stopped and stopped < started:
            self.add_error("stopped_on", "The stop date is before the start date.")
        return cleaned


class TherapistFeedbackForm(forms.Form):
    fit = forms.ChoiceField(
        label="How the client said it fits them",
        choices=[("", "They did not say"), *AdaptationFit.choices],
        required=False,
    )
    comment = forms.CharField(
        label="What the client said",
        help_text="As close to their words as you can.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not cleaned.get("fit") and not (cleaned.get("comment") or "").strip():
            raise forms.ValidationError("Record how it fits or what the client said.")
        return cleaned


CLIENT_FIT_CHOICES = [
    (AdaptationFit.FITS, _("This fits me")),
    (AdaptationFit.PARTLY, _("Partly")),
    (AdaptationFit.DOES_NOT_FIT, _("This does not fit me")),
    (AdaptationFit.NOT_SURE, _("Not sure")),
]


class ClientAdaptationFeedbackForm(WithoutLabelSuffix, forms.Form):
    """One fit question and one comment per current adaptation (``fit_<id>``, ``comment_<id>``)."""

    def __init__(self, *args, adaptations, **kwargs):
        super().__init__(*args, **kwargs)
        self.adaptations = adaptations
        for adaptation in adaptations:
            self.fields[f"fit_{adaptation.pk}"] = forms.ChoiceField(
                label=_("How does this fit you?"),
                choices=CLIENT_FIT_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{adaptation.pk}"] = forms.CharField(
                label=_("Anything you want to say about it"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def blocks(self) -> list[tuple]:
        return [(a, self[f"fit_{a.pk}"], self[f"comment_{a.pk}"]) for a in self.adaptations]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        answered = any(
            cleaned.get(f"fit_{a.pk}") or (cleaned.get(f"comment_{a.pk}") or "").strip()
            for a in self.adaptations
        )
        if self.adaptations and not answered:
            raise forms.ValidationError(_("Answer at least one question, then send."))
        return cleaned

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            a.pk: (
                self.cleaned_data.get(f"fit_{a.pk}") or "",
                self.cleaned_data.get(f"comment_{a.pk}") or "",
            )
            for a in self.adaptations
        }
