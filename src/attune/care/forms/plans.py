"""Forms of the plan pages: the plan written together, the client's goals, their agreement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from attune.care.models import AgreementAnswer, ClientViewMode
from attune.care.services.plans import (
    CLIENT_VIEW,
    GOAL_TEXT_MAX,
    GOAL_WORDS_MAX,
    PLAN_AGREEMENT,
    PLAN_GOALS,
    Goal,
)
from attune.measures.goals import PLAN_GOALS_LIMIT

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

BLANK_ROWS = 2  # empty goal rows offered after the existing ones (no JavaScript needed)


def _rows_in(data, prefix: str = "words_") -> int:
    numbers = [int(key[len(prefix) :]) for key in data if key.startswith(prefix)]
    numbers = [n for n in numbers if 1 <= n <= PLAN_GOALS_LIMIT]
    return max(numbers, default=0)


class GoalRowsForm(forms.Form):
    """A plan's goals as numbered rows: ``words_1``, ``signs_1`` (and ``framing_1`` for staff)."""

    with_framing = True
    words_label: _StrOrPromise = "Goal {n}, in the client's own words"
    signs_label: _StrOrPromise = "How the client will know it is getting better"
    framing_label: _StrOrPromise = (
        "Your clinical framing (beside the client's words, never instead)"
    )

    def __init__(self, *args, goals: list[dict] | None = None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        for n, goal in enumerate(goals or [], start=1):
            initial.setdefault(f"words_{n}", goal.get("words", ""))
            initial.setdefault(f"signs_{n}", goal.get("signs", ""))
            if self.with_framing:
                initial.setdefault(f"framing_{n}", goal.get("framing", ""))
        super().__init__(*args, **kwargs)
        existing = _rows_in(self.data) if self.is_bound else len(goals or [])
        rows = existing if self.is_bound else existing + BLANK_ROWS
        self.row_count = max(1, min(PLAN_GOALS_LIMIT, rows))
        for n in range(1, self.row_count + 1):
            self.fields[f"words_{n}"] = forms.CharField(
                label=str(self.words_label).format(n=n),
                required=False,
                max_length=GOAL_WORDS_MAX,
            )
            self.fields[f"signs_{n}"] = forms.CharField(
                label=self.signs_label,
                required=False,
                max_length=GOAL_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if self.with_framing:
                self.fields[f"framing_{n}"] = forms.CharField(
                    label=self.framing_label,
                    required=False,
                    max_length=GOAL_TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def goal_rows(self) -> list[dict]:
        """Return each row's bound fields, for the template."""
        rows = []
        for n in range(1, self.row_count + 1):
            row = {"n": n, "words": self[f"words_{n}"], "signs": self[f"signs_{n}"]}
            if self.with_framing:
                row["framing"] = self[f"framing_{n}"]
            rows.append(row)
        return rows

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        goals = []
        for n in range(1, self.row_count + 1):
            words = (cleaned.get(f"words_{n}") or "").strip()
            signs = (cleaned.get(f"signs_{n}") or "").strip()
            framing = (cleaned.get(f"framing_{n}") or "").strip()
            if not words and (signs or framing):
                self.add_error(f"words_{n}", self.orphan_message)
            elif words:
                goals.append(Goal(words, signs, framing))
        if not goals and not self.errors:
            self.add_error("words_1", self.empty_message)
        cleaned["goals"] = goals
        return cleaned

    orphan_message: _StrOrPromise = (
        "Write the goal in the client's words, or clear the boxes below it."
    )
    empty_message: _StrOrPromise = "Write at least one goal in the client's words."


class PlanForm(GoalRowsForm):
    """The plan as the therapist writes it with the client."""

    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)
    review_on = forms.DateField(
        label="Review together on",
        help_text="The date you and the client will look at the plan again.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Choose the date you will review the plan together.",
            "invalid": "Enter the review date as a date, for example 2026-12-31.",
        },
    )


class WithoutLabelSuffix:
    """Client pages ask questions: no colon after a label that ends in "?" or "؟"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ClientGoalsForm(WithoutLabelSuffix, GoalRowsForm):
    """The client's own goals and signs of progress, written through a private link."""

    with_framing = False
    words_label = _("Goal {n}, in your own words")
    signs_label = _("How will you know it is getting better?")
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)
    orphan_message = _("Write the goal itself, or clear the box below it.")
    empty_message = _("Write at least one goal.")


class AgreementForm(WithoutLabelSuffix, forms.Form):
    plan_version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(
        label=_("Does this plan reflect what you want?"),
        choices=[
            (AgreementAnswer.AGREE, _("Yes, this plan reflects what I want")),
            (AgreementAnswer.NOT_YET, _("Not yet")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or not yet.")},
    )
    comment = forms.CharField(
        label=_("Anything you want to add, or what should change"),
        help_text=_("If you chose “not yet”, tell us what should change."),
        required=False,
        max_length=GOAL_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if (
            cleaned.get("answer") == AgreementAnswer.NOT_YET
            and not (cleaned.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Tell us what should change, so the plan can be fixed."))
        return cleaned


class ClientViewForm(forms.Form):
    mode = forms.ChoiceField(
        label="What the client can see through a link",
        choices=ClientViewMode.choices,
        widget=forms.RadioSelect,
    )
    chosen_with_client = forms.BooleanField(
        label="The client and I talked about it and the client chose this",
        required=False,
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("mode", ClientViewMode.OFF) != ClientViewMode.OFF and not cleaned.get(
            "chosen_with_client"
        ):
            self.add_error(
                "chosen_with_client",
                "Turn the client's page on only when the client has chosen it with you.",
            )
        return cleaned


class PlanLinkForm(forms.Form):
    purpose = forms.ChoiceField(
        choices=[
            (PLAN_GOALS, "Write or change their goals"),
            (PLAN_AGREEMENT, "Say whether the plan reflects what they want"),
            (CLIENT_VIEW, "See their plan (and check-ins, if chosen)"),
        ]
    )
