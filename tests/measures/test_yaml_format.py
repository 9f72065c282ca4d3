"""Attune's YAML instrument format, including the worked example in docs/instruments.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from attune.measures.errors import InstrumentError
from attune.measures.scoring import ChangeStatus, recovered, reliable_change, score
from attune.measures.yaml_format import load_instrument_yaml, load_instrument_yaml_file

from .builders import choice_items, yaml_instrument

pytestmark = pytest.mark.pure

DOCS = Path(__file__).resolve().parents[2] / "docs" / "instruments.md"


def worked_example() -> str:
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(r"<!-- worked-example -->\s*```yaml\n(.*?)```", text, re.S)
    assert match, "docs/instruments.md lost its worked example"
    return match.group(1)


def test_it_loads_the_worked_example_in_the_documentation():
    instrument = load_instrument_yaml(worked_example())
    assert instrument.key == "urn:example:clinic:sleep-check|2"
    assert instrument.validated is False
    assert instrument.languages() == ("en", "es")
    first = instrument.item("rested")
    assert first.text.in_language("es-MX").startswith("Me desperté")
    result = score(instrument, {"rested": "rarely", "worry": "often", "nights": 3})
    assert result.total == 8
    assert result.band == "some trouble"
    assert result.in_clinical_range is True
    assert result.subscales == {"mood": 2.5}
    assert reliable_change(result, 3, instrument).status is ChangeStatus.IMPROVED
    assert reliable_change(result, 3, instrument).threshold == 4.03
    assert recovered(result, 3, instrument) is True
    assert recovered(result, 5, instrument) is False


def test_it_loads_a_file_from_disk(tmp_path):
    path = tmp_path / "sleep.yaml"
    path.write_text(worked_example(), encoding="utf-8")
    assert load_instrument_yaml_file(path).name == "sleep-check"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("items: [", "not valid YAML at line"),
        ("name: x", "not an Attune instrument"),
        ("attune_instrument: 2\nname: x", "unsupported attune_instrument version 2"),
    ],
)
def test_it_refuses_text_that_is_not_an_instrument(text, message):
    with pytest.raises(InstrumentError, match=message):
        load_instrument_yaml(text)


def test_it_names_the_item_with_an_unknown_key():
    items = choice_items(2)
    items[1]["weight"] = 3
    with pytest.raises(InstrumentError, match=r"item 'q2': unknown key 'weight'"):
        yaml_instrument(items)


def test_it_names_the_item_with_an_unknown_option_set():
    with pytest.raises(InstrumentError, match=r"item 'q1': unknown option set 'freq'"):
        yaml_instrument([{"link_id": "q1", "type": "choice", "text": "Q", "options": "freq"}])


def test_it_names_the_item_missing_text_in_the_instrument_language():
    items = [{"link_id": "q1", "type": "string", "text": {"es": "Hola"}}]
    with pytest.raises(InstrumentError, match=r"item 'q1': text has no text in .* 'en'"):
        yaml_instrument(items)


def test_it_names_the_item_with_an_unknown_type():
    with pytest.raises(InstrumentError, match=r"item 'q1': unknown type 'slider'"):
        yaml_instrument([{"link_id": "q1", "type": "slider", "text": "Q"}])


def test_it_refuses_duplicate_link_ids():
    with pytest.raises(InstrumentError, match=r"item 'q1': linkId is used more than once"):
        yaml_instrument(choice_items(1) + choice_items(1))


def test_it_refuses_enable_when_on_an_unknown_item():
    items = choice_items(1)
    items[0]["enable_when"] = [{"question": "q9", "operator": "=", "answer": "a"}]
    with pytest.raises(InstrumentError, match=r"item 'q1': enableWhen refers to unknown item"):
        yaml_instrument(items)


def test_it_refuses_a_scored_item_without_weights():
    items = [{"link_id": "q1", "type": "integer", "text": "How many?"}]
    with pytest.raises(InstrumentError, match=r"item 'q1': a scored item needs"):
        yaml_instrument(items, {"items": ["q1"]})


def test_it_refuses_overlapping_bands():
    bands = [
        {"range": [0, 4], "label": "low"},
        {"range": [4, 8], "label": "high"},
    ]
    with pytest.raises(InstrumentError, match="bands 'low' and 'high' overlap"):
        yaml_instrument(choice_items(3), {"bands": bands})


def test_it_refuses_a_reliability_outside_zero_to_one():
    with pytest.raises(InstrumentError, match="reliability must be between 0 and 1"):
        yaml_instrument(choice_items(3), {"reliable_change": {"sd": 4, "reliability": 1.2}})


def test_it_refuses_max_missing_that_would_allow_an_empty_score():
    with pytest.raises(InstrumentError, match="max_missing"):
        yaml_instrument(choice_items(3), {"max_missing": 3})


def test_it_refuses_a_calculated_item_it_cannot_parse():
    items = choice_items(2) + [
        {
            "link_id": "total",
            "type": "decimal",
            "text": "Total",
            "calculated": {"expression": "1 +"},
        }
    ]
    with pytest.raises(InstrumentError, match=r"item 'total': cannot parse FHIRPath"):
        yaml_instrument(items)


def test_it_evaluates_a_calculated_item_with_variables_in_yaml():
    items = choice_items(2) + [
        {
            "link_id": "total",
            "type": "decimal",
            "text": "Total",
            "calculated": {
                "expression": "%weights.sum() * 2",
                "variables": [
                    {"name": "weights", "expression": "%resource.answers().value.weight()"}
                ],
            },
        }
    ]
    instrument = yaml_instrument(items, {"items": ["q1", "q2"], "total_item": "total"})
    result = score(instrument, {"q1": "c", "q2": "d"})
    assert result.calculated == {"total": 10}
    assert result.total is None  # the file's total and its weights disagree: no number
    assert "differs from the sum of the answers' weights 5" in result.could_not_score
