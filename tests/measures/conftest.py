"""Shared helpers for the measures tests: paths to the published FHIR files and fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from attune.measures.fhir_import import load_questionnaire_json
from attune.measures.instrument import Instrument

# The published Questionnaires live beside the repository, in ../shared, and are not copied in.
PUBLISHED_FHIR = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "fhir"
RESPONSES = Path(__file__).resolve().parent / "fixtures"

# Tests that read them fail, never skip, when they are absent: proving the import needs them.
MISSING = (
    f"the published FHIR Questionnaires must be at {PUBLISHED_FHIR} (../shared beside the repo)"
)

PHQ9_LHC = PUBLISHED_FHIR / "phq9-lhc-forms.json"
PHQ9_SDC = PUBLISHED_FHIR / "phq9-hl7-sdc-example.json"
GAD7_RESEARCHKIT = PUBLISHED_FHIR / "gad7-researchkit.json"


def load_published(path: Path) -> Instrument:
    """Import one of the published Questionnaires (they must be present: see MISSING)."""
    assert PUBLISHED_FHIR.is_dir(), MISSING
    return load_questionnaire_json(path.read_text(encoding="utf-8"))


def read_json(path: Path) -> Any:
    """Return the parsed JSON in ``path``."""
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def phq9_lhc() -> Instrument:
    return load_published(PHQ9_LHC)


@pytest.fixture(scope="session")
def phq9_sdc() -> Instrument:
    return load_published(PHQ9_SDC)


@pytest.fixture(scope="session")
def gad7_researchkit() -> Instrument:
    return load_published(GAD7_RESEARCHKIT)
