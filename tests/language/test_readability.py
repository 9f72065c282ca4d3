"""Readability: the textstat Coleman-Liau grade, with hard sentences located."""

from __future__ import annotations

import pytest
import textstat

from attune.language import audit_text
from attune.language.readability import coleman_liau_grade

SAMPLES = [
    "Please bring your insurance card. Arrive ten minutes early!",
    "Hi. Ok. The quick brown fox jumps over the lazy dog, doesn't it? Yes.",
    "Notwithstanding extraordinarily complicated administrative requirements, participants "
    "must acknowledge comprehensive documentation obligations.",
    "\u00c9t\u00e9 caf\u00e9 r\u00e9sum\u00e9 na\u00efve. Words, words: more words; still more.",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_it_grades_exactly_as_textstat(text: str) -> None:
    assert coleman_liau_grade(text) == pytest.approx(textstat.coleman_liau_index(text), abs=1e-9)


def test_it_lists_the_hardest_sentences_with_their_lines() -> None:
    text = (
        "We are glad you are here.\n"
        "Notwithstanding extraordinarily complicated administrative requirements, "
        "participants must acknowledge documentation obligations.\n"
        "Call us if you need help."
    )
    readability = audit_text(text, profile="materials").readability
    assert readability.method == "coleman-liau"
    assert readability.hardest_sentences[0].line == 2
    assert readability.hardest_sentences[0].grade > 8
    assert all(s.grade > readability.target_grade for s in readability.hardest_sentences)


def test_it_gives_grade_zero_when_there_is_no_prose() -> None:
    assert audit_text("Name: ____", profile="forms").readability.grade == 0.0
