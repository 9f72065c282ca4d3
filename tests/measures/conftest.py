"""Shared helpers for the measures tests: paths to the published FHIR files and fixtures."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from attune.measures.fhir_import import load_questionnaire_json
from attune.measures.instrument import Instrument

# The published Questionnaires live beside the repository, in ../shared/fixtures, and are not
# copied in (CI has them).  ATTUNE_SHARED_FIXTURES names another fixtures directory.  On a fresh
# clone without them, the tests that read them skip with one line; the project's own corpus
# (tests/measures/corpus) runs everywhere.
SHARED_FIXTURES = Path(
    os.environ.get("ATTUNE_SHARED_FIXTURES")
    or Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
)
PUBLISHED_FHIR = SHARED_FIXTURES / "fhir"
RESPONSES = Path(__file__).resolve().parent / "fixtures"

MISSING = f"published FHIR Questionnaires not found at {PUBLISHED_FHIR} (../shared/fixtures)"
HAVE_PUBLISHED = PUBLISHED_FHIR.is_dir()
needs_published = pytest.mark.skipif(not HAVE_PUBLISHED, reason=MISSING)

PHQ9_LHC = PUBLISHED_FHIR / "phq9-lhc-forms.json"
PHQ9_SDC = PUBLISHED_FHIR / "phq9-hl7-sdc-example.json"
GAD7_RESEARCHKIT = PUBLISHED_FHIR / "gad7-researchkit.json"


def load_published(path: Path) -> Instrument:
    """Import one of the published Questionnaires; the test skips when they are absent."""
    if not path.is_file():
        pytest.skip(MISSING)
    return load_questionnaire_json(path.read_text(encoding="utf-8"))


def read_json(path: Path) -> Any:
    """Return the parsed JSON in ``path`` (a published file absent: the test skips)."""
    if not path.is_file() and PUBLISHED_FHIR in path.parents:
        pytest.skip(MISSING)
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
