"""The instruments that ship with Attune, stored as Attune YAML beside this module."""

from __future__ import annotations

from functools import cache
from importlib import resources

from attune.measures.errors import InstrumentError
from attune.measures.instrument import Instrument
from attune.measures.yaml_format import load_instrument_yaml

_PACKAGE = "attune.measures"
_FOLDER = "instruments"


def bundled_instrument_names() -> tuple[str, ...]:
    """Return the names of the bundled instruments (``phq9``, ``gad7``, …), sorted."""
    folder = resources.files(_PACKAGE).joinpath(_FOLDER)
    return tuple(
        sorted(
            entry.name.removesuffix(".yaml")
            for entry in folder.iterdir()
            if entry.name.endswith(".yaml")
        )
    )


@cache
def load_bundled_instrument(name: str) -> Instrument:
    """Return the bundled instrument called ``name``; raise ``InstrumentError`` if none is."""
    if name not in bundled_instrument_names():
        raise InstrumentError(
            f"no bundled instrument {name!r} (bundled: {', '.join(bundled_instrument_names())})"
        )
    text = resources.files(_PACKAGE).joinpath(_FOLDER, f"{name}.yaml").read_text("utf-8")
    return load_instrument_yaml(text)


def session_checkin_ratings() -> tuple[str, ...]:
    """Return the linkIds of the session check-in's rated items (0-10), in the order asked."""
    scoring = load_bundled_instrument("session-checkin").scoring
    return tuple(scoring.items) if scoring else ()


def bundled_instruments() -> dict[str, Instrument]:
    """Return every bundled instrument keyed by name."""
    return {name: load_bundled_instrument(name) for name in bundled_instrument_names()}
