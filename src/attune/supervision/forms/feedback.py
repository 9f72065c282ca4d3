"""The humility feedback form: one 0-4 question per item, each optional, and a comment."""

from __future__ import annotations

from django import forms

from attune.supervision import humility

SCALE_CHOICES = [
    (str(value), f"{value} – {label}") for value, label in humility.SCALE_LABELS.items()
]


class FeedbackForm(forms.Form):
    comment = forms.CharField(
        label="Anything else (optional)",
        help_text=(
            "Your supervisor sees comments only after the period ends, mixed with at least two "
            "others' and in no particular order, never with your name."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in humility.ITEMS:
            self.fields[item.key] = forms.TypedChoiceField(
                label=item.text,
                choices=SCALE_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )
        self.order_fields([*humility.ITEM_KEYS, "comment"])

    def item_fields(self):
        return [self[key] for key in humility.ITEM_KEYS]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if all(data.get(key) is None for key in humility.ITEM_KEYS):
            raise forms.ValidationError("Answer at least one statement.")
        return data

    def answers(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in humility.ITEM_KEYS}
