"""Reading grade of client-facing text, with the hardest sentences located.

The grade is the Coleman-Liau index computed exactly as textstat computes it (letters and
sentences per hundred words, sentences of two words or fewer ignored). It is computed here
rather than by calling textstat because importing textstat loads NLTK, which costs about a
second and roughly 95 MB per process; tests/language/test_readability.py checks that both give
the same grade.
"""

from __future__ import annotations

import re

from attune.language.document import Document
from attune.language.results import HardSentence, Readability

METHOD = "coleman-liau"
TARGET_GRADE = 8.0
MIN_WORDS = 4
HARDEST_LIMIT = 5
# Larger inputs are graded on evenly spaced slices: a grade level is an average, and sampling
# keeps the cost of very large inputs flat.
FULL_TEXT_LIMIT = 200_000
SAMPLE_SLICES = 200
SAMPLE_SLICE_CHARS = 1_000

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)
_TEXTSTAT_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
_NON_WORD = re.compile(r"[^\w\s]")
_NOT_LETTER = re.compile(r"[^\w]")


def _word_count(text: str) -> int:
    return len(_NON_WORD.sub("", text).split())


def coleman_liau_grade(text: str) -> float:
    """Return the Coleman-Liau grade of text, as textstat's coleman_liau_index does."""
    words = _word_count(text)
    if not words or not text:
        return 0.0
    letters = len(_NOT_LETTER.sub("", text))
    found = _TEXTSTAT_SENTENCE.findall(text)
    ignored = sum(1 for sentence in found if _word_count(sentence) <= 2)
    sentence_count = max(1, len(found) - ignored)
    letters_per_100 = letters / words * 100
    sentences_per_100 = sentence_count / words * 100
    if letters_per_100 == 0 or sentences_per_100 == 0:
        return 0.0
    return 0.058 * letters_per_100 - 0.296 * sentences_per_100 - 15.8


def _sentences_in(prose: str, start: int, end: int) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for match in _SENTENCE.finditer(prose, start, end):
        raw = match.group()
        sentence = " ".join(raw.split())
        if _word_count(sentence) >= MIN_WORDS:
            found.append((match.start() + len(raw) - len(raw.lstrip()), sentence))
    return found


def sentences(document: Document) -> list[tuple[int, str]]:
    """Return (start offset, sentence) for the prose sentences long enough to grade."""
    prose = document.prose
    if len(prose) <= FULL_TEXT_LIMIT:
        return _sentences_in(prose, 0, len(prose))
    found: list[tuple[int, str]] = []
    stride = len(prose) // SAMPLE_SLICES
    for index in range(SAMPLE_SLICES):
        start = index * stride
        boundary = prose.find("\n", start, start + SAMPLE_SLICE_CHARS)
        start = boundary + 1 if boundary >= 0 else start
        found.extend(_sentences_in(prose, start, start + SAMPLE_SLICE_CHARS)[:-1] or [])
    return found


def measure(document: Document, *, target_grade: float = TARGET_GRADE) -> Readability:
    """Grade the document's prose and list the sentences furthest above the target."""
    graded = sentences(document)
    if not graded:
        return Readability(grade=0.0, method=METHOD, target_grade=target_grade)
    # The index goes below zero for very short, plain words; no grade is easier than zero.
    grade = max(0.0, round(coleman_liau_grade(" ".join(sentence for _, sentence in graded)), 1))
    scored = sorted(
        ((round(coleman_liau_grade(sentence), 1), offset, sentence) for offset, sentence in graded),
        key=lambda item: (-item[0], item[1]),
    )
    hardest = tuple(
        HardSentence(line=document.position(offset)[0], grade=score, text=sentence[:300])
        for score, offset, sentence in scored[:HARDEST_LIMIT]
        if score > target_grade
    )
    return Readability(
        grade=grade, method=METHOD, target_grade=target_grade, hardest_sentences=hardest
    )
