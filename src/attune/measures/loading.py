"""Find and load an instrument from a file (FHIR JSON or Attune YAML) or a bundled name."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attune.measures.bundled import bundled_instrument_names, load_bundled_instrument
from attune.measures.errors import InstrumentError
from attune.measures.fhir_import import load_questionnaire_json
from attune.measures.instrument import Instrument
from attune.measures.yaml_format import load_instrument_yaml

YAML_SUFFIXES = frozenset({".yaml", ".yml"})


def load_questionnaire_file(
    path: str | Path, *, terminology: Mapping[str, Mapping[str, Any]] | None = None
) -> Instrument:
    """Read and check an instrument file: a FHIR Questionnaire (JSON) or Attune YAML.

    The format is told by the suffix, or by the first character when the suffix says nothing.
    Raises ``InstrumentError`` with a one-line message; nothing is stored here.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InstrumentError(f"cannot read {path}: {error.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InstrumentError(f"{path} is not UTF-8 text") from None
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return load_instrument_yaml(text)
    if suffix == ".json" or text.lstrip().startswith("{"):
        return load_questionnaire_json(text, terminology=terminology)
    return load_instrument_yaml(text)


def load_instrument(reference: str) -> Instrument:
    """Return the instrument named by ``reference``: an existing file, else a bundled name."""
    path = Path(reference)
    if path.is_file():
        return load_questionnaire_file(path)
    if reference in bundled_instrument_names():
        return load_bundled_instrument(reference)
    raise InstrumentError(
        f"{reference!r} is neither a file nor a bundled instrument "
        f"({', '.join(bundled_instrument_names())})"
    )
