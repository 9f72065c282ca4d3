"""The pure instruments stored rows hold, parsed once per process, and what they say.

Reads only: the parsed instruments are cached by ``url|version``; ``comment_of`` and
``item_labels`` read a response or an instrument in the words people see.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from attune.measures.fhir_export import questionnaire_from_instrument
from attune.measures.fhir_import import load_questionnaire_json
from attune.measures.goals import GOALS_CHECKIN, stored_goals_checkin
from attune.measures.instrument import Instrument, ItemType
from attune.measures.models import (
    Response,
    SourceFormat,
    StoredInstrument,
)
from attune.measures.yaml_format import load_instrument_yaml

SESSION_CHECKIN = "session-checkin"


# Parsed instruments by ``url|version``: a key always holds the same document (``instrument_store``
# refuses another under it), so each process parses it once.  The source is compared on a hit,
# which costs far less than parsing, so a database rebuilt with other content is never misread.
_PARSED: dict[str, tuple[str, str, Instrument]] = {}
_PARSED_LIMIT = 256


def instrument_of(stored: StoredInstrument) -> Instrument:
    """Return the pure instrument a stored row holds, parsed once per ``url|version``."""
    cached = _PARSED.get(stored.key)
    if cached is not None and cached[0] == stored.source_format and cached[1] == stored.source:
        return cached[2]
    terminology = json.dumps(stored.terminology or {}, sort_keys=True)
    instrument = _instrument_from_source(stored.source_format, stored.source, terminology)
    if len(_PARSED) >= _PARSED_LIMIT:
        _PARSED.clear()
    _PARSED[stored.key] = (stored.source_format, stored.source, instrument)
    return instrument


def bundled_source(name: str) -> str:
    """Return the YAML text of bundled instrument ``name``, stored so its key stays pinned."""
    return (
        resources.files("attune.measures")
        .joinpath("instruments", f"{name}.yaml")
        .read_text("utf-8")
    )


@lru_cache(maxsize=64)
def _instrument_from_source(source_format: str, source: str, terminology: str = "{}") -> Instrument:
    if source_format == SourceFormat.FHIR:
        return load_questionnaire_json(source, terminology=json.loads(terminology))
    return load_instrument_yaml(source)


def goals_instrument(goal_texts: Sequence[str]) -> Instrument:
    """Return the goals check-in built around the client's own goals."""
    return _goals_instrument(tuple(goal_texts))


@lru_cache(maxsize=256)
def _goals_instrument(goal_texts: tuple[str, ...]) -> Instrument:
    return stored_goals_checkin(goal_texts)


def questionnaire_of(stored: StoredInstrument) -> dict[str, Any]:
    """Return the stored instrument as a FHIR Questionnaire."""
    return questionnaire_from_instrument(instrument_of(stored))


def item_labels(instrument: Instrument) -> dict[str, str]:
    """Return what each item is called where people read it, by linkId: its own text.

    The instrument's English words (or its own language's), so signals, repair logs and agendas say
    "My therapist respected my values and beliefs" rather than ``respected-values``.
    """
    labels = {}
    for item in instrument.all_items():
        text = item.text.in_language("en") if item.text is not None else ""
        if text:
            labels[item.link_id] = text.strip()
    return labels


def comment_of(response: Response) -> str:
    """Return the client's own words in a response (its free-text answers), or "".

    Decrypting them is a read of the client's record: callers show them only to the client's
    therapist, and the page that shows them records the read.
    """
    answers = response.answers
    if not isinstance(answers, dict):
        return ""
    text_ids = _text_link_ids(response.instrument)
    words = [str(answers.get(link_id) or "").strip() for link_id in text_ids]
    return "\n".join(word for word in words if word)


def _text_link_ids(stored: StoredInstrument) -> tuple[str, ...]:
    if stored.name == GOALS_CHECKIN:
        return ()
    return tuple(
        item.link_id for item in instrument_of(stored).all_items() if item.type == ItemType.TEXT
    )
