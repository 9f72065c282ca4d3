"""Guess the questions of a form written as lines of text (plain text, Markdown, DOCX, PDF).

Paper-style forms put a label and a colon or a blank line ("Name: ______") on one line and
their options behind tick boxes ("[ ] Male  [ ] Female"), on the same line or the lines that
follow. These heuristics read that layout; anything they miss is still covered by the
whole-text keyword checks.
"""

from __future__ import annotations

import re

from attune.language.results import FormModel, Question

_BOX_GLYPHS = "\u2610\u2611\u2612\u25a1\u25a0\u25a2\u25fb\u25cb\u25ef\u25cf\u25c9\u274f\u2751"
_BOX = r"(?:\[\s?[xX\u2713\u2714]?\s?\]|\(\s?[xX]?\s?\)|[" + _BOX_GLYPHS + "])"
_BOX_SPLIT = re.compile(_BOX + r"\s*")
_LIST_PREFIX = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|#+\s+|>\s*)*")
_QUESTION_LINE = re.compile(r"^(?P<label>[^:?|]{2,100}?)\s*(?P<mark>[:?|])\s*(?P<rest>.*)$")
_BLANK_FIELD = re.compile(r"_{3,}|\.{4,}")
_MULTI = re.compile(
    r"\b(?:all\s+that\s+apply|select\s+all|check\s+all|choose\s+all|mark\s+all|tick\s+all"
    r"|one\s+or\s+more|as\s+many\s+as)\b",
    re.IGNORECASE,
)
_SINGLE = re.compile(
    r"\b(?:check|select|choose|pick|circle|mark|tick)\s+(?:only\s+)?(?:one|1)\b(?!\s+or\s+more)",
    re.IGNORECASE,
)
SELF_DESCRIBE = re.compile(
    r"describe|specify|not\s+listed|own\s+words|write\s+in|another|fill\s+in|_{3,}",
    re.IGNORECASE,
)
_SLASH_OPTIONS = re.compile(r"^\s*[\w'’ ]{1,20}(?:\s*/\s*[\w'’ ]{1,20}){1,6}\s*$")


def _clean_label(label: str) -> str:
    return _BLANK_FIELD.sub(" ", label).strip(" \t|:*-")


def _split_options(rest: str) -> list[str]:
    parts = [_clean_label(part) for part in _BOX_SPLIT.split(rest)]
    return [part for part in parts if part]


def form_from_lines(lines: list[str]) -> FormModel:
    """Return the questions a list of text lines appears to ask."""
    questions: list[Question] = []
    current: Question | None = None
    for number, raw_line in enumerate(lines, start=1):
        line = _LIST_PREFIX.sub("", raw_line).strip().strip("|").strip()
        if not line:
            current = None
            continue
        box = _BOX_SPLIT.search(line)
        if box:
            label = _clean_label(line[: box.start()])
            options = _split_options(line[box.start() :])
            if label and (current is None or len(label) > 2):
                current = Question(text=label, kind="single_choice", options=(), line=number)
                questions.append(current)
            if current is None:
                continue
            current.options = (*(current.options or ()), *options)
            _classify(current, line)
            continue
        match = _QUESTION_LINE.match(line)
        if match or line.endswith("?"):
            label = _clean_label(match.group("label") if match else line)
            rest = match.group("rest") if match else ""
            current = Question(text=label, kind="free_text", options=(), line=number)
            if rest and _SLASH_OPTIONS.match(rest) and not _BLANK_FIELD.search(rest):
                current.options = tuple(part.strip() for part in rest.split("/") if part.strip())
                current.kind = "single_choice"
            elif rest and not _BLANK_FIELD.search(rest):
                current.text = f"{label} {rest}".strip()
            _classify(current, line)
            questions.append(current)
        elif current is not None:
            current.text = f"{current.text} {line}".strip()[:300]
            _classify(current, line)
    for question in questions:
        if question.options and any(SELF_DESCRIBE.search(option) for option in question.options):
            question.allows_free_text = True
    is_form = sum(1 for q in questions if q.options) >= 1 or len(questions) >= 3
    return FormModel(questions=questions, full_text="\n".join(lines), is_form=is_form)


def _classify(question: Question, line: str) -> None:
    if not question.options:
        return
    if _MULTI.search(line) or _MULTI.search(question.text):
        question.kind = "multi_choice"
    elif question.kind != "multi_choice":
        question.kind = "single_choice"
    if _SINGLE.search(line) and question.kind != "multi_choice":
        question.kind = "single_choice"
