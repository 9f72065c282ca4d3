"""The project's own conformance corpus: FHIR R4 Questionnaires worded for Attune, in every
shape real files take, with hand-computed expected scores (``expected.json``).

Each ``<name>.json`` is a Questionnaire; ``expected.json`` maps its name to cases: the answers
(option codes or plain values by linkId), the expected ``total`` (None when it cannot be
scored), and optionally ``range``, ``missing``, ``could_not_score`` (words the reason holds)
and ``review`` (words each expected review finding holds).  No licensed or published
instrument is copied here: the questions are our own.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from attune.measures.fhir_import import load_questionnaire_json
from attune.measures.instrument import Instrument

CORPUS = Path(__file__).resolve().parent


def corpus_names() -> list[str]:
    """Return the names of the corpus Questionnaires."""
    return sorted(path.stem for path in CORPUS.glob("*.json") if path.stem != "expected")


def corpus_source(name: str) -> dict[str, Any]:
    """Return the parsed Questionnaire ``name``."""
    return json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))


@cache
def corpus_instrument(name: str) -> Instrument:
    """Return the imported instrument ``name``."""
    return load_questionnaire_json((CORPUS / f"{name}.json").read_text(encoding="utf-8"))


def corpus_instruments() -> dict[str, Instrument]:
    """Return every corpus instrument by name."""
    return {f"corpus-{name}": corpus_instrument(name) for name in corpus_names()}


def expected_cases() -> dict[str, list[dict[str, Any]]]:
    """Return the hand-computed cases by Questionnaire name."""
    return json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
