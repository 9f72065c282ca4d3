"""Value sets that Questionnaires cite without containing them.

Attune ships, as data, the LOINC answer lists of the instruments it knows
(``loinc-answer-lists.json``, a FHIR Bundle of ValueSets carrying LOINC's attribution notice);
an agency loads others as FHIR Bundles of ValueSets (``attune measures terminology FILE``).
Nothing here imports Django.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from attune.measures.errors import InstrumentError

SHIPPED_FILE = "loinc-answer-lists.json"


@lru_cache(maxsize=1)
def shipped_value_sets() -> dict[str, Mapping[str, Any]]:
    """Return Attune's own ValueSets by canonical url."""
    text = resources.files("attune.measures.terminology").joinpath(SHIPPED_FILE).read_text("utf-8")
    return {value_set["url"]: value_set for value_set in value_sets_in_bundle(json.loads(text))}


def shipped_value_set(url: str) -> Mapping[str, Any] | None:
    """Return the shipped ValueSet with canonical ``url``, or None."""
    return shipped_value_sets().get(url)


def value_sets_in_bundle(bundle: Any) -> Iterator[Mapping[str, Any]]:
    """Yield the ValueSets of a FHIR Bundle (or one ValueSet); raise ``InstrumentError``
    when it holds none or one without a canonical url or listed concepts."""
    if not isinstance(bundle, Mapping):
        raise InstrumentError("a terminology file must be a FHIR Bundle or ValueSet (JSON object)")
    if bundle.get("resourceType") == "ValueSet":
        resources_found: list[Any] = [bundle]
    elif bundle.get("resourceType") == "Bundle":
        entries = bundle.get("entry")
        if not isinstance(entries, list):
            raise InstrumentError("the Bundle has no entries")
        resources_found = [entry.get("resource") for entry in entries if isinstance(entry, Mapping)]
    else:
        raise InstrumentError(
            f"resourceType is {bundle.get('resourceType')!r}, not 'Bundle' or 'ValueSet'"
        )
    found = 0
    for resource in resources_found:
        if not isinstance(resource, Mapping) or resource.get("resourceType") != "ValueSet":
            continue
        url = resource.get("url")
        if not isinstance(url, str) or not url:
            raise InstrumentError(f"ValueSet {resource.get('id')!r} has no canonical url")
        found += 1
        yield resource
    if not found:
        raise InstrumentError("the file holds no ValueSet")
