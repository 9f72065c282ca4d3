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
# Greedy: the label cannot contain the mark, so it stops at the first one; the spaces it keeps
# before the mark are stripped with the label.
_QUESTION_LINE = re.compile(r"(?P<label>[^:?|]{2,100})(?P<mark>[:?|])\s*(?P<rest>.*)")
_LIST_STARTS = frozenset("-*+#>0123456789")
_BLANK_FIELD = re.compile(r"_{3,}|\.{4,}")
_MULTI = re.compile(
    r"\b(?:all\s+that\s+apply|select\s+all|check\s+all|choose\s+all|mark\s+all|tick\s+all"
    r"|one\s+or\s+more|as\s+many\s+as|todas\s+las\s+que|todas\s+las\s+opciones"
    r"|una\s+o\s+m[aá]s|tantas\s+como)\b",
    re.IGNORECASE,
)
SELF_DESCRIBE = re.compile(
    r"describe|specify|not\s+listed|own\s+words|write\s+in|another|fill\s+in|_{3,}"
    r"|different\s+(?:term|word|identity)|something\s+else|tell\s+us"
    r"|propias\s+palabras|describ|especifi|no\s+aparece|no\s+est[aá]\s+en",
    re.IGNORECASE,
)
# A line on its own after a list of answers that is itself the self-describe answer
# ("I use a different term: ____", "In your own words: ____", "Other: ____").
_SELF_DESCRIBE_LINE = re.compile(
    r"(?:i\s+use\s+)?(?:a\s+)?different\s+(?:term|word)|(?:in\s+)?(?:your|my)\s+own\s+words"
    r"|(?:an)?other|something\s+else|not\s+listed(?:\s+above)?|self[-\s]?describe"
    r"|(?:con|en)\s+(?:mis|sus|tus)\s+propias\s+palabras|otr[oa]|algo\s+distinto",
    re.IGNORECASE,
)
_SLASH_OPTIONS = re.compile(r"^\s*[\w'’ ]{1,20}(?:\s*/\s*[\w'’ ]{1,20}){1,6}\s*$")


def _clean_label(label: str) -> str:
    if "__" in label or ".." in label:
        label = _BLANK_FIELD.sub(" ", label)
    return label.strip(" \t|:*-")


def _split_options(rest: str) -> list[str]:
    parts = [_clean_label(part) for part in _BOX_SPLIT.split(rest)]
    return [part for part in parts if part]


# What one line is, worked out from the line alone (see _read_line).
_BLANK = ("blank",)


def _read_line(raw_line: str) -> tuple:
    """Return what a line says on its own, whatever question comes before it.

    ("blank",) | ("box", label, options, says_multi) | ("question", label, options, text,
    says_multi, self_describe) | ("text", line)
    """
    line = raw_line.strip()
    if line[:1] in _LIST_STARTS:
        line = _LIST_PREFIX.sub("", line)
    if "|" in line:
        line = line.strip().strip("|")
    line = line.strip()
    if not line:
        return _BLANK
    box = _BOX_SPLIT.search(line)
    if box:
        label = _clean_label(line[: box.start()])
        answers = tuple(_split_options(line[box.start() :]))
        return ("box", label, answers, _MULTI.search(line) is not None)
    match = _QUESTION_LINE.match(line)
    if match or line.endswith("?"):
        label = _clean_label(match.group("label") if match else line)
        rest = match.group("rest") if match else ""
        options: tuple[str, ...] = ()
        text = label
        says_multi = False
        if rest and _SLASH_OPTIONS.match(rest) and not _BLANK_FIELD.search(rest):
            options = tuple(part.strip() for part in rest.split("/") if part.strip())
            says_multi = _MULTI.search(line) is not None
        elif rest and not _BLANK_FIELD.search(rest):
            text = f"{label} {rest}".strip()
        return ("question", label, options, text, says_multi, _is_self_describe_line(label))
    return ("text", line)


def form_from_lines(lines: list[str]) -> FormModel:
    """Return the questions a list of text lines appears to ask.

    Each distinct line is read once: forms repeat lines ("Phone: ____", "[ ] Yes [ ] No"), and
    what a line says on its own does not depend on the lines around it.
    """
    questions: list[Question] = []
    current: Question | None = None
    # Questions whose answer lines say "check all that apply" (or the like); the questions
    # whose own text says so are found once at the end.
    multi: set[int] = set()
    seen: dict[str, tuple] = {}
    for number, raw_line in enumerate(lines, start=1):
        read = seen.get(raw_line)
        if read is None:
            read = seen[raw_line] = _read_line(raw_line)
        what = read[0]
        if what == "blank":
            current = None
        elif what == "box":
            _, label, options, says_multi = read
            if label and (current is None or len(label) > 2):
                current = Question(text=label, kind="single_choice", options=(), line=number)
                questions.append(current)
            if current is None:
                continue
            current.options = (*(current.options or ()), *options)
            if says_multi:
                multi.add(id(current))
        elif what == "question":
            _, label, options, text, says_multi, self_describe = read
            if current is not None and current.options and self_describe:
                current.options = (*current.options, label)
                current.allows_free_text = True
                continue
            current = Question(text=text, kind="free_text", options=options, line=number)
            if says_multi:
                multi.add(id(current))
            questions.append(current)
        elif current is not None:
            current.text = f"{current.text} {read[1]}".strip()[:300]
    describes: dict[tuple[str, ...], bool] = {}
    for question in questions:
        if not question.options:
            continue
        # Several answers when any line of the question says so, otherwise one.
        if id(question) in multi or _MULTI.search(question.text):
            question.kind = "multi_choice"
        else:
            question.kind = "single_choice"
        allows = describes.get(question.options)
        if allows is None:
            allows = describes[question.options] = (
                SELF_DESCRIBE.search("\x00".join(question.options)) is not None
            )
        if allows:
            question.allows_free_text = True
    is_form = sum(1 for q in questions if q.options) >= 1 or len(questions) >= 3
    return FormModel(questions=questions, full_text="\n".join(lines), is_form=is_form)


def _is_self_describe_line(label: str) -> bool:
    """Whether a label is a bare self-describe answer, allowing a short tail ("(describe)")."""
    match = _SELF_DESCRIBE_LINE.match(label)
    return match is not None and len(label) - match.end() <= 25 and ":" not in label[match.end() :]
