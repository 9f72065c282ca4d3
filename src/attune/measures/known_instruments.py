"""Recognise well-known instruments in imported files and give them Attune's interpretation.

A published PHQ-9 Questionnaire carries items and weights but rarely its severity bands,
cut-off or reliable-change threshold. When an imported file is recognisably the PHQ-9 or
GAD-7 (by LOINC code or title, and by the number and range of its scored items), the
interpretation of the bundled instrument is attached, so a PHQ-9 scores the same way whether
a clinic uses the bundled one or its own file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from attune.measures.bundled import load_bundled_instrument
from attune.measures.instrument import Instrument
from attune.measures.safety import with_safety_items


@dataclass(frozen=True)
class _KnownInstrument:
    bundled_name: str
    label: str
    loinc_codes: frozenset[str]
    title_pattern: re.Pattern[str]
    item_count: int
    total_range: tuple[float, float]


_KNOWN = (
    _KnownInstrument(
        bundled_name="phq9",
        label="PHQ-9",
        loinc_codes=frozenset({"44249-1"}),
        title_pattern=re.compile(r"\bPHQ-?\s?9\b|Patient Health Questionnaire\W*9", re.I),
        item_count=9,
        total_range=(0.0, 27.0),
    ),
    _KnownInstrument(
        bundled_name="gad7",
        label="GAD-7",
        loinc_codes=frozenset({"69737-5"}),
        title_pattern=re.compile(r"\bGAD-?\s?7\b|Generali[sz]ed Anxiety Disorder\W*7", re.I),
        item_count=7,
        total_range=(0.0, 21.0),
    ),
)


def _entries(value: object) -> Iterable[object]:
    """Return the entries of a list in the source file (anything else has none that count)."""
    return value if isinstance(value, list | tuple) else ()


def recognise(instrument: Instrument) -> str | None:
    """Return the bundled name of the instrument ``instrument`` is a copy of, or None."""
    source = instrument.source_questionnaire or {}
    codes = {
        str(entry.get("code") or entry.get("value"))
        for key in ("code", "identifier")
        for entry in _entries(source.get(key))
        if isinstance(entry, dict)
    }
    titles = (
        " ".join(str(source.get(key) or "") for key in ("title", "name", "url"))
        + " "
        + instrument.title.default
    )
    for known in _KNOWN:
        if not (codes & known.loinc_codes or known.title_pattern.search(titles)):
            continue
        if instrument.scoring is None or len(instrument.scoring.items) != known.item_count:
            continue
        if instrument.total_range() != known.total_range:
            continue
        return known.bundled_name
    return None


def apply_known_interpretation(instrument: Instrument) -> Instrument:
    """Return ``instrument`` with bands, cut-off, reliable change and safety items attached

    when it is recognisably a bundled instrument, and with its safety items marked whatever it
    is (``safety.with_safety_items``: by code, wording, known instrument or the agency's mark).
    """
    name = recognise(instrument)
    if name is None or instrument.scoring is None:
        return with_safety_items(instrument)
    known = next(entry for entry in _KNOWN if entry.bundled_name == name)
    reference = load_bundled_instrument(name).scoring
    if reference is None:  # pragma: no cover - the bundled PHQ-9 and GAD-7 are scored
        return with_safety_items(instrument)
    scoring = replace(
        reference,
        items=instrument.scoring.items,
        reverse_items=(),
        subscales=(),
        total_item=instrument.scoring.total_item,
    )
    note = (
        f"recognised as the {known.label}: bands, cut-off and reliable change "
        f"from Attune's bundled {known.label}"
    )
    return with_safety_items(
        replace(instrument, scoring=scoring, warnings=(*instrument.warnings, note))
    )
