"""FHIR Questionnaire JSON: item texts are scanned in place; items become questions."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from attune.language.document import Document, keep_ranges
from attune.language.readers.errors import ReaderError
from attune.language.readers.textform import SELF_DESCRIBE
from attune.language.results import FormModel, Question

_JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_TEXT_KEYS = frozenset({"text", "title", "display", "valueString", "prefix", "description"})
_CHOICE_TYPES = frozenset({"choice", "open-choice", "coding"})
_FREE_TEXT_TYPES = frozenset({"string", "text"})


def text_value_ranges(source: str) -> list[tuple[int, int]]:
    """Return the inside of every JSON string value whose key carries human-readable text."""
    ranges: list[tuple[int, int]] = []
    last_key = ""
    length = len(source)
    for match in _JSON_STRING.finditer(source):
        end = match.end()
        follow = end
        while follow < length and source[follow] in " \t\r\n":
            follow += 1
        if follow < length and source[follow] == ":":
            last_key = match.group()[1:-1]
            continue
        if last_key in _TEXT_KEYS:
            ranges.append((match.start() + 1, end - 1))
    return ranges


def read_fhir(text: str, filename: str) -> Document:
    """Read a FHIR Questionnaire (or any JSON, whose text values are scanned)."""
    try:
        resource = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReaderError(
            f"{filename}: not valid JSON ({error.msg} at line {error.lineno})"
        ) from None
    masked = keep_ranges(text, text_value_ranges(text))
    form = FormModel(full_text=" ".join(masked.split()), has_label_data=True)
    if isinstance(resource, dict) and resource.get("resourceType") == "Questionnaire":
        lines = _link_id_lines(text.split("\n"))
        form.questions = list(_questions(resource.get("item") or [], lines))
        form.is_form = bool(form.questions)
    return Document.from_masked(path=filename, text=text, masked=masked, kind="fhir", form=form)


_LINK_ID = re.compile(r'"linkId"\s*:\s*"((?:[^"\\\n]|\\.)*)"')


def _link_id_lines(lines: list[str]) -> dict[str, int]:
    """Return the line on which each linkId first appears."""
    found: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        for match in _LINK_ID.finditer(line):
            found.setdefault(match.group(1), number)
    return found


def _option_text(option: dict) -> str:
    coding = option.get("valueCoding") or {}
    for value in (coding.get("display"), coding.get("code"), option.get("valueString")):
        if value:
            return str(value)
    for key, value in option.items():
        if key.startswith("value") and isinstance(value, str | int | float):
            return str(value)
    return ""


def _questions(items: list, lines: dict[str, int]) -> Iterator[Question]:
    """Yield a question for every answerable item, descending into groups and children."""
    for item in items:
        if not isinstance(item, dict):
            continue
        item_type = item.get("type", "")
        text = " ".join(str(part) for part in (item.get("prefix"), item.get("text")) if part)
        children = item.get("item") or []
        help_text = " ".join(
            str(child.get("text", ""))
            for child in children
            if isinstance(child, dict) and child.get("type") == "display"
        )
        if item_type == "group":
            yield from _questions(children, lines)
            continue
        if item_type == "display":
            continue
        options: tuple[str, ...] | None = ()
        allows_free_text = item_type == "open-choice" or item.get("answerConstraint") in {
            "optionsOrString",
            "optionsOrType",
        }
        if item_type in _CHOICE_TYPES:
            answer_options = item.get("answerOption") or []
            options = tuple(filter(None, (_option_text(o) for o in answer_options))) or None
            kind = "multi_choice" if item.get("repeats") else "single_choice"
        elif item_type in _FREE_TEXT_TYPES:
            kind = "free_text"
        elif item_type == "boolean":
            kind = "yes_no"
        else:
            kind = "unknown"
        if options and any(SELF_DESCRIBE.search(option) for option in options):
            allows_free_text = True
        yield Question(
            text=f"{text} {help_text}".strip() if help_text else text,
            kind=kind,
            options=options,
            allows_free_text=allows_free_text,
            required=bool(item.get("required")),
            source=str(item.get("linkId", "")),
            line=lines.get(str(item.get("linkId", "")), 0),
            value_set=str(item.get("answerValueSet", "")),
        )
        if children:
            yield from _questions(children, lines)
