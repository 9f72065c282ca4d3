"""Turn a stored self-identification or formulation into rows staff can read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from attune.clients import vocabulary
from attune.clients.identity_forms import FORMULATION_PROMPTS
from attune.clients.language_names import language_name, language_names
from attune.clients.models import Question

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

LABELS = {
    code: label
    for options in (
        vocabulary.GENDER_IDENTITY,
        vocabulary.SEX_ASSIGNED_AT_BIRTH,
        vocabulary.SEXUAL_ORIENTATION,
        vocabulary.ACCESSIBILITY,
        vocabulary.INTERPRETER,
        vocabulary.FEE_TIERS,
    )
    for code, label in ((option.code, option.label) for option in options)
}
RACE_LABELS = {group.code: group.label for group in vocabulary.RACE_ETHNICITY} | {
    option.code: option.label for group in vocabulary.RACE_ETHNICITY for option in group.details
}
SHOWN = [
    Question.PRONOUNS,
    Question.GENDER,
    Question.SEX_AT_BIRTH,
    Question.ORIENTATION,
    Question.RACE_ETHNICITY,
    Question.LANGUAGES,
    Question.INTERPRETER,
    Question.SIGN_LANGUAGE,
    Question.ACCESSIBILITY,
    Question.RELIGION,
    Question.FEE_TIER,
    Question.ANYTHING_ELSE,
]


# Answers chosen from a list (languages, interpreter, fee) are shown plainly; the client's own
# words are shown in quotation marks.
CHOSEN_NOT_WRITTEN = {Question.LANGUAGES, Question.INTERPRETER, Question.FEE_TIER}


@dataclass
class Row:
    question: str
    words: _StrOrPromise = ""
    categories: list[str] = field(default_factory=list)
    declined: bool = False
    quoted: bool = True

    @property
    def not_asked(self) -> bool:
        return not (self.words or self.categories or self.declined)


def identity_rows(identity) -> list[Row]:
    """Return one row per question: the client's words first, then any categories chosen."""
    answers = identity.answers if identity else {}
    declined = set(identity.declined) if identity else set()
    rows = []
    for question in SHOWN:
        row = Row(
            Question(question).label,
            declined=question in declined,
            quoted=question not in CHOSEN_NOT_WRITTEN,
        )
        value = answers.get(question)
        if isinstance(value, str):
            row.words = LABELS.get(value, value) if question == Question.FEE_TIER else value
        elif question == Question.LANGUAGES and value:
            row.words = ", ".join(language_names(value))
        elif question == Question.INTERPRETER and value:
            row.words = str(LABELS.get(value["need"], value["need"]))
            if value.get("language"):
                row.words += f" ({language_name(value['language'])})"
        elif question == Question.SEX_AT_BIRTH and value:
            row.words = value.get("words", "")
            row.categories = (
                [str(LABELS.get(value["category"], value["category"]))]
                if value.get("category")
                else []
            )
        elif isinstance(value, dict):
            row.words = value.get("words", "")
            labels = RACE_LABELS if question == Question.RACE_ETHNICITY else LABELS
            codes = value.get("categories") or value.get("needs") or []
            row.categories = [str(labels.get(code, code)) for code in codes]
        rows.append(row)
    return rows


def formulation_rows(formulation) -> list[tuple[str, str]]:
    """Return (prompt, the client's answer) pairs, skipping topics not answered."""
    answers = formulation.answers if formulation else {}
    return [
        (str(prompt), answers[topic])
        for topic, prompt in FORMULATION_PROMPTS.items()
        if answers.get(topic)
    ]


def author_of(version) -> str:
    """Return who wrote a version, in words."""
    if version.written_via_link_id:
        return _("the client, through a private link")
    return str(version.written_by) if version.written_by else _("the system")
