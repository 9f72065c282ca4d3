"""Property tests: every reader answers any input with a result or its own one-line error."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attune.measures.bundled import load_bundled_instrument
from attune.measures.errors import InstrumentError, ResponseError
from attune.measures.fhir_export import questionnaire_from_instrument
from attune.measures.fhir_import import import_questionnaire
from attune.measures.responses import (
    build_questionnaire_response,
    parse_questionnaire_response,
)
from attune.measures.yaml_format import instrument_from_mapping

pytestmark = pytest.mark.pure

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)

PHQ9_AS_FHIR = questionnaire_from_instrument(load_bundled_instrument("phq9"))


def paths(value, prefix=()):
    """Yield the path to every node in nested JSON data."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


ALL_PATHS = [path for path in paths(PHQ9_AS_FHIR) if path]


def replaced(data, path, value):
    changed = copy.deepcopy(data)
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


def one_line_or_instrument(load, data):
    try:
        load(data)
    except InstrumentError as error:
        assert "\n" not in str(error)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL_PATHS), json_values)
def test_it_imports_or_refuses_a_questionnaire_with_any_one_node_replaced(path, value):
    one_line_or_instrument(import_questionnaire, replaced(PHQ9_AS_FHIR, path, value))


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_it_refuses_arbitrary_json_as_a_questionnaire_cleanly(value):
    one_line_or_instrument(import_questionnaire, value)
    if isinstance(value, dict):
        value = {**value, "resourceType": "Questionnaire"}
        one_line_or_instrument(import_questionnaire, value)


YAML_EXAMPLE = {
    "attune_instrument": 1,
    "name": "x",
    "url": "urn:x",
    "option_sets": {"f": [{"code": "a", "display": "A", "weight": 0}]},
    "items": [
        {
            "link_id": "g",
            "type": "group",
            "text": "G",
            "items": [
                {"link_id": "q", "type": "choice", "text": "Q", "options": "f"},
                {
                    "link_id": "n",
                    "type": "integer",
                    "text": "N",
                    "range": {"min": 0, "max": 3},
                    "enable_when": [{"question": "q", "operator": "=", "answer": "a"}],
                },
            ],
        },
    ],
    "scoring": {
        "method": "sum",
        "items": ["q", "n"],
        "bands": [{"range": [0, 3], "label": "b"}],
        "reliable_change": {"threshold": 1},
        "subscales": [{"name": "s", "items": ["q"]}],
    },
}
YAML_PATHS = [path for path in paths(YAML_EXAMPLE) if path]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(YAML_PATHS), json_values)
def test_it_loads_or_refuses_yaml_data_with_any_one_node_replaced(path, value):
    one_line_or_instrument(instrument_from_mapping, replaced(YAML_EXAMPLE, path, value))


CHECKIN = load_bundled_instrument("session-checkin")
CHECKIN_RESPONSE = build_questionnaire_response(
    CHECKIN,
    {"heard": (7,), "curious": (9,), "comment": ("Bien",)},
)
RESPONSE_PATHS = [path for path in paths(CHECKIN_RESPONSE) if path]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(RESPONSE_PATHS), json_values)
def test_it_reads_or_refuses_a_response_with_any_one_node_replaced(path, value):
    try:
        parse_questionnaire_response(replaced(CHECKIN_RESPONSE, path, value), CHECKIN)
    except ResponseError as error:
        assert "\n" not in str(error)
