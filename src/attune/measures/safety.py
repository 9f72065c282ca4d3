"""Safety items wherever they are: which questions ask about self-harm, and which answers to them
need a person today.

An imported Questionnaire rarely says which of its questions is a safety question, and real
files differ in shape: linkIds may be ``/44260-8``, ``q9`` or a random string, items may sit in
nested groups, the LOINC code may be on the item, on the Questionnaire or nowhere. So an item is
a safety item when any of these holds (docs/instruments.md, "Safety items"):

1. **Its code** is a known safety question (PHQ-9 item 9, the C-SSRS screener's ideation and
   behaviour questions), on the item whatever its linkId or depth.
2. **Its wording** asks about death, suicide or self-harm in English ("better off dead",
   "harming myself", "kill yourself", "ending your life", "suicide"…).
3. **The instrument is a known one** (by its Questionnaire code, url or title): PHQ-9 and PHQ-A
   item 9, EPDS item 10, every yes/no question of the C-SSRS, found by position when neither
   code nor wording found it.
4. **An agency marked it**: the ``SAFETY_ITEM_EXTENSION`` on the item, set by hand in the file or
   by a leader at import (``attune measures import FILE --safety-item LINKID``).

An answer raises the safety signal when it is above the item's lowest weighted option (any
non-zero answer on PHQ-9 item 9 or EPDS item 10), ``true``, a number above the item's lower
bound, or, on an unweighted item, anything but a recognisable "no"/"never"/"not at all" (any
"yes" on the C-SSRS). An answer that cannot be weighed is shown, never assumed safe.

Pure Python, no Django.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from attune.measures.errors import InstrumentError
from attune.measures.instrument import (
    ANSWERABLE_TYPES,
    CHOICE_TYPES,
    NUMERIC_TYPES,
    AnswerValue,
    Instrument,
    Item,
    ItemType,
)

# An agency's own mark on a Questionnaire item: ``{"url": SAFETY_ITEM_EXTENSION,
# "valueBoolean": true}``.  Exported Questionnaires carry it, so a round trip keeps the mark.
SAFETY_ITEM_EXTENSION = "urn:attune:fhir:extension:safety-item"
LOINC = "http://loinc.org"

# Item codes of safety questions (LOINC), checked against published FHIR examples of the
# instruments (HL7 US Core and US Behavioral Health Profiles).
SAFETY_ITEM_CODES: Mapping[str, str] = {
    "44260-8": "PHQ-9 item 9 (thoughts of being better off dead or of self-harm)",
    "93246-7": "C-SSRS: wish to be dead",
    "93247-5": "C-SSRS: thoughts of killing oneself",
    "93248-3": "C-SSRS: thinking about how",
    "93249-1": "C-SSRS: intention of acting on the thoughts",
    "93250-9": "C-SSRS: plan and intent",
    "93267-3": "C-SSRS: suicidal behaviour (ever)",
    "93269-9": "C-SSRS: suicidal behaviour in the past 3 months",
}

# English wording of questions about death, suicide or self-harm.
_SAFETY_WORDING = re.compile(
    r"better off dead"
    r"|\b(?:harm|hurt)(?:ing)?\s+(?:my|your|them)sel(?:f|ves)"
    r"|\bkill(?:ing)?\s+(?:my|your|them)sel(?:f|ves)"
    r"|\bend(?:ing)?\s+(?:my|your|their)\s+(?:own\s+)?li(?:fe|ves)"
    r"|\bsuicid"
    r"|\bself[-\s]?harm"
    r"|wish(?:ed)?\s+(?:you|I|they)\s+(?:were|was)\s+dead",
    re.IGNORECASE,
)

_LOINC_IN_URL = re.compile(r"(?<![\w-])(\d{3,6}-\d)(?![\w.])")

# Answers that say "no": an unweighted safety question answered so raises nothing.
_NO_CODES = frozenset({"LA32-8"})  # LOINC "No"
_NO_WORDS = frozenset({"no", "n", "never", "not at all", "none", "false", "0"})


@dataclass(frozen=True)
class KnownSafetyInstrument:
    """An instrument whose safety questions Attune knows, and how to find them in a file."""

    label: str
    panel_codes: frozenset[str]
    title_pattern: re.Pattern[str]
    # 0-based position of the safety question among the file's questions, used only when
    # neither a code nor the wording found it; None: every yes/no question is a safety question.
    position: int | None


# Order matters: the PHQ-A's titles also match the PHQ-9's pattern.
KNOWN_SAFETY_INSTRUMENTS = (
    KnownSafetyInstrument(
        label="PHQ-A",
        panel_codes=frozenset({"89206-7"}),
        title_pattern=re.compile(
            r"\bPHQ-?A\b|PHQ-?\s?9\W*(?:M\b|.*\b(?:teens?|adolescents?))|modified for teens", re.I
        ),
        position=8,
    ),
    KnownSafetyInstrument(
        label="PHQ-9",
        panel_codes=frozenset({"44249-1"}),
        title_pattern=re.compile(r"\bPHQ-?\s?9\b|Patient Health Questionnaire\W*9", re.I),
        position=8,
    ),
    KnownSafetyInstrument(
        label="EPDS",
        # LOINC's EPDS panel; SNOMED CT 450320001, the EPDS score, as Danish municipal files use.
        panel_codes=frozenset({"71354-5", "450320001"}),
        title_pattern=re.compile(r"\bEPDS\b|Edinburgh\s+(?:Postnatal|Perinatal)", re.I),
        position=9,
    ),
    KnownSafetyInstrument(
        label="C-SSRS",
        panel_codes=frozenset(),
        title_pattern=re.compile(r"\bC-?SSRS\b|Columbia[-\s]+Suicide", re.I),
        position=None,
    ),
)


def questionnaire_codes(source: Mapping[str, Any] | None) -> set[str]:
    """Return the codes a Questionnaire carries on its root: ``code``, identifier values, and
    LOINC-shaped codes in its url (``…/Questionnaire/44249-1``, as LHC-Forms names them)."""
    source = source or {}
    codes: set[str] = set()
    for key in ("code", "identifier"):
        for entry in source.get(key) or []:
            if isinstance(entry, Mapping):
                value = entry.get("code") if key == "code" else entry.get("value")
                if isinstance(value, str):
                    codes.add(value)
    url = source.get("url")
    if isinstance(url, str):
        codes.update(_LOINC_IN_URL.findall(url))
    return codes


def questionnaire_names(instrument: Instrument) -> str:
    """Return the title, name and url of ``instrument`` as one string to match patterns on."""
    source = instrument.source_questionnaire or {}
    parts = [str(source.get(key) or "") for key in ("title", "name", "url")]
    return " ".join([*parts, instrument.title.default, instrument.name, instrument.url])


def known_safety_instrument(instrument: Instrument) -> KnownSafetyInstrument | None:
    """Return the known instrument ``instrument`` is a copy of, by code, url or title."""
    codes = questionnaire_codes(instrument.source_questionnaire)
    names = questionnaire_names(instrument)
    for known in KNOWN_SAFETY_INSTRUMENTS:
        if codes & known.panel_codes:
            return known
    for known in KNOWN_SAFETY_INSTRUMENTS:
        if known.title_pattern.search(names):
            return known
    return None


def _questions(instrument: Instrument) -> list[Item]:
    """Return the items a client answers, in document order (no groups, displays or totals)."""
    return [
        item
        for item in instrument.all_items()
        if item.type in ANSWERABLE_TYPES
        and not item.is_calculated
        and (
            item.type in CHOICE_TYPES or item.type in NUMERIC_TYPES or item.type is ItemType.BOOLEAN
        )
    ]


def _is_yes_no(item: Item) -> bool:
    if item.type is ItemType.BOOLEAN:
        return True
    if item.type not in CHOICE_TYPES or not item.options:
        return False
    return any(_is_no(option.code, option.display.default) for option in item.options)


def _marked(source: Mapping[str, Any] | None) -> set[str]:
    """Return the linkIds carrying the agency's safety mark in a Questionnaire."""
    found: set[str] = set()

    def walk(items: Any) -> None:
        for entry in items or []:
            if not isinstance(entry, Mapping):
                continue
            for extension in entry.get("extension") or []:
                if (
                    isinstance(extension, Mapping)
                    and extension.get("url") == SAFETY_ITEM_EXTENSION
                    and extension.get("valueBoolean") is True
                    and isinstance(entry.get("linkId"), str)
                ):
                    found.add(entry["linkId"])
            walk(entry.get("item"))

    walk((source or {}).get("item"))
    return found


def find_safety_items(instrument: Instrument) -> dict[str, str]:
    """Return the safety items of ``instrument``: linkId -> why it is one."""
    questions = _questions(instrument)
    found: dict[str, str] = {}
    for link_id in _marked(instrument.source_questionnaire):
        found.setdefault(link_id, "marked by the agency")
    by_content: set[str] = set()
    for item in questions:
        for _, code in item.codes:
            if code in SAFETY_ITEM_CODES:
                found.setdefault(item.link_id, f"its code {code}: {SAFETY_ITEM_CODES[code]}")
                by_content.add(item.link_id)
        text = item.text.default if item.text is not None else ""
        if _SAFETY_WORDING.search(text):
            found.setdefault(item.link_id, "its wording asks about self-harm or suicide")
            by_content.add(item.link_id)
    known = known_safety_instrument(instrument)
    if known is not None:
        if known.position is None:
            for item in questions:
                if _is_yes_no(item):
                    found.setdefault(item.link_id, f"a yes/no question of the {known.label}")
        elif not by_content and known.position < len(questions):
            item = questions[known.position]
            found.setdefault(item.link_id, f"question {known.position + 1} of the {known.label}")
    for item in instrument.all_items():
        if item.safety:
            found.setdefault(item.link_id, "marked in the instrument")
    return found


def with_safety_items(instrument: Instrument) -> Instrument:
    """Return ``instrument`` with every safety item marked, and a warning naming them."""
    found = find_safety_items(instrument)
    if not found:
        return instrument
    answerable = {item.link_id for item in instrument.all_items() if item.type in ANSWERABLE_TYPES}
    unknown = sorted(link_id for link_id in found if link_id not in answerable)
    if unknown:
        raise InstrumentError("only a question can be a safety item", link_id=unknown[0])
    note = "safety items: " + "; ".join(f"{link_id} ({why})" for link_id, why in found.items())
    return replace(
        instrument,
        items=_mark(instrument.items, set(found)),
        warnings=(*instrument.warnings, note),
    )


def _mark(items: tuple[Item, ...], link_ids: set[str]) -> tuple[Item, ...]:
    return tuple(
        replace(
            item, safety=item.safety or item.link_id in link_ids, items=_mark(item.items, link_ids)
        )
        for item in items
    )


# Marking at import ----------------------------------------------------------------------------


def mark_safety_items(text: str, link_ids: Sequence[str]) -> str:
    """Return the Questionnaire JSON ``text`` with ``link_ids`` carrying the safety mark.

    Raises ``InstrumentError`` naming the first linkId that is not a question of the file.
    """
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise InstrumentError(
            f"a safety item can only be marked on a FHIR Questionnaire in JSON ({error})"
        ) from None
    if not isinstance(data, dict) or data.get("resourceType") != "Questionnaire":
        raise InstrumentError("a safety item can only be marked on a FHIR Questionnaire")
    wanted = [link_id.strip() for link_id in link_ids if link_id.strip()]
    entries = {
        entry["linkId"]: entry
        for entry in _walk(data.get("item"))
        if isinstance(entry.get("linkId"), str)
    }
    for link_id in wanted:
        entry = entries.get(link_id)
        if entry is None:
            raise InstrumentError(f"no item {link_id!r} in the Questionnaire to mark as safety")
        if entry.get("type") in ("group", "display"):
            raise InstrumentError("only a question can be a safety item", link_id=link_id)
        extensions = [
            extension
            for extension in entry.get("extension") or []
            if not (
                isinstance(extension, Mapping) and extension.get("url") == SAFETY_ITEM_EXTENSION
            )
        ]
        extensions.append({"url": SAFETY_ITEM_EXTENSION, "valueBoolean": True})
        entry["extension"] = extensions
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _walk(items: Any) -> Iterable[dict[str, Any]]:
    for entry in items or []:
        if isinstance(entry, dict):
            yield entry
            yield from _walk(entry.get("item"))


# Answers ------------------------------------------------------------------------------------


def _is_no(code: Any, display: Any = None) -> bool:
    if isinstance(code, bool):
        return code is False
    words = {str(code).strip().lower()}
    if display is not None:
        words.add(str(display).strip().lower())
    return str(code) in _NO_CODES or bool(words & _NO_WORDS)


def answer_raises_safety(item: Item, given: Sequence[AnswerValue]) -> bool:
    """Return whether any of ``given`` (one item's answers) needs a person today."""
    return any(_one_raises(item, value) for value in given)


def _one_raises(item: Item, value: AnswerValue) -> bool:
    if item.type in CHOICE_TYPES:
        option = item.option(str(value))
        value_range = item.value_range()
        if option is not None and option.weight is not None and value_range is not None:
            return option.weight > value_range[0]
        if option is not None:
            return not _is_no(option.code, option.display.default)
        return not _is_no(value)
    if item.type is ItemType.BOOLEAN:
        return value is not False
    if (
        item.type in NUMERIC_TYPES
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        lowest = item.min_value if item.min_value is not None else 0.0
        return value > lowest
    # Free text, a date, anything that cannot be weighed: shown, never assumed safe.
    return value not in ("", None)


def raised_safety_items(
    instrument: Instrument, answers: Mapping[str, Sequence[AnswerValue]], enabled: set[str]
) -> tuple[str, ...]:
    """Return the safety items whose answers (normalised, by linkId) need a person today."""
    return tuple(
        item.link_id
        for item in instrument.all_items()
        if item.safety
        and item.link_id in enabled
        and answers.get(item.link_id)
        and answer_raises_safety(item, answers[item.link_id])
    )
