"""HTML: visible text for scanning, and the form's controls read from the DOM."""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

from attune.language.document import Document, blank_ranges
from attune.language.readers.textform import SELF_DESCRIBE
from attune.language.results import FormModel, Question

_HIDDEN_BLOCK = re.compile(r"(?is)<(script|style|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->")
_TAG = re.compile(r"(?s)<[A-Za-z/!?][^>]*>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TEXT_ATTRIBUTE = re.compile(
    r"""\b(?:placeholder|title|alt|aria-label)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE
)
_NOT_ANSWERS = {"hidden", "submit", "button", "reset", "image", "file"}
_PLACEHOLDER_OPTION = re.compile(
    r"^(?:-+|select\b.*|choose\b.*|please\s+(?:select|choose)\b.*)$", re.I
)


def mask_html(text: str) -> str:
    """Blank tags, scripts, styles and comments but keep text and text-bearing attributes."""
    hidden = [match.span() for match in _HIDDEN_BLOCK.finditer(text)]
    ranges = list(hidden)
    hidden_index = 0
    for match in _TAG.finditer(text):
        start, end = match.span()
        while hidden_index < len(hidden) and hidden[hidden_index][1] <= start:
            hidden_index += 1
        if hidden_index < len(hidden) and hidden[hidden_index][0] <= start:
            continue
        cursor = start
        for attribute in _TEXT_ATTRIBUTE.finditer(match.group()):
            group = 1 if attribute.group(1) is not None else 2
            ranges.append((cursor, start + attribute.start(group)))
            cursor = start + attribute.end(group)
        ranges.append((cursor, end))
    ranges.extend(match.span() for match in _ENTITY.finditer(text))
    return blank_ranges(text, _merge(ranges))


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def read_html(text: str, filename: str) -> Document:
    """Read an HTML page or fragment and its form controls."""
    masked = mask_html(text)
    return Document.from_masked(
        path=filename, text=text, masked=masked, kind="html", form=form_from_html(text, masked)
    )


def _text(tag: Tag | None) -> str:
    return " ".join(tag.get_text(" ", strip=True).split()) if tag is not None else ""


def form_from_html(text: str, masked: str) -> FormModel:
    """Return the questions of every form control in the page."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "html.parser")
    labels_for: dict[str, str] = {}
    for label_tag in soup.find_all("label"):
        target = label_tag.get("for")
        if target:
            labels_for[str(target)] = _text(label_tag)
    by_id = {str(tag["id"]): tag for tag in soup.find_all(id=True)}
    questions: list[Question] = []
    groups: dict[str, Question] = {}
    for control in soup.find_all(["input", "select", "textarea"]):
        kind_attr = str(control.get("type", "text")).lower() if control.name == "input" else ""
        if kind_attr in _NOT_ANSWERS:
            continue
        label, labelled = _label_of(control, labels_for, by_id)
        line = control.sourceline or 0
        required = control.has_attr("required") or control.get("aria-required") == "true"
        if control.name == "select":
            options = tuple(
                option_text
                for option in control.find_all("option")
                if (option_text := _text(option)) and not _PLACEHOLDER_OPTION.match(option_text)
            )
            kind = "multi_choice" if control.has_attr("multiple") else "single_choice"
            questions.append(
                Question(
                    text=label or str(control.get("name", "")),
                    kind=kind,
                    options=options,
                    required=required,
                    source="select",
                    line=line,
                    labelled=labelled,
                )
            )
        elif kind_attr in {"radio", "checkbox"}:
            group_key = f"{kind_attr}:{control.get('name') or control.get('id') or line}"
            question = groups.get(group_key)
            if question is None:
                question = Question(
                    text=_group_text(control, label),
                    kind="single_choice" if kind_attr == "radio" else "multi_choice",
                    options=(),
                    required=required,
                    source=kind_attr,
                    line=line,
                    labelled=labelled,
                )
                groups[group_key] = question
                questions.append(question)
            question.options = (*(question.options or ()), label or str(control.get("value", "")))
            question.labelled = question.labelled and labelled
        else:
            questions.append(
                Question(
                    text=label or str(control.get("placeholder") or control.get("name", "")),
                    kind="free_text",
                    options=(),
                    required=required,
                    source=control.name,
                    line=line,
                    labelled=labelled,
                )
            )
    for question in questions:
        if question.source == "checkbox" and question.options and len(question.options) == 1:
            question.kind = "yes_no"
            question.text = question.options[0]
        if question.options and any(SELF_DESCRIBE.search(option) for option in question.options):
            question.allows_free_text = True
    return FormModel(
        questions=questions,
        full_text=" ".join(masked.split()),
        is_form=bool(questions),
        has_label_data=True,
    )


def _label_of(control: Tag, labels_for: dict[str, str], by_id: dict[str, Tag]) -> tuple[str, bool]:
    control_id = control.get("id")
    if control_id and str(control_id) in labels_for and labels_for[str(control_id)]:
        return labels_for[str(control_id)], True
    wrapping = control.find_parent("label")
    if wrapping is not None and _text(wrapping):
        return _text(wrapping), True
    if control.get("aria-label"):
        return str(control["aria-label"]), True
    if control.get("aria-labelledby"):
        parts = [_text(by_id.get(ref)) for ref in str(control["aria-labelledby"]).split()]
        if any(parts):
            return " ".join(part for part in parts if part), True
    if control.get("title"):
        return str(control["title"]), True
    return "", False


def _group_text(control: Tag, fallback: str) -> str:
    fieldset = control.find_parent("fieldset")
    if fieldset is not None:
        legend = fieldset.find("legend")
        if legend is not None and _text(legend):
            return _text(legend)
    group = control.find_parent(attrs={"role": re.compile("^(?:radio)?group$")})
    if group is not None:
        if group.get("aria-label"):
            return str(group["aria-label"])
        heading = group.find_previous(string=True)
        if heading and heading.strip():
            return heading.strip()
    for previous in control.find_all_previous(string=True, limit=6):
        candidate = " ".join(str(previous).split())
        if candidate and candidate != fallback and len(candidate) > 1:
            return candidate
    return str(control.get("name", fallback))
