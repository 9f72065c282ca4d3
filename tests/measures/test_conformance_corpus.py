"""The conformance corpus: every shape of Questionnaire, scored against hand-computed totals.

Each case is scored three ways, and all three must give the hand-computed total: from a
response built as an SDC renderer builds it (the chosen option's full coding, its weight
extension included), from a response with bare codes, and from a tampered response that
carries weights and a total of its own (both ignored: Attune recomputes from the file).
"""

from __future__ import annotations

import copy
import json

import pytest

from attune.measures.fhir_import import import_questionnaire
from attune.measures.responses import build_questionnaire_response, parse_questionnaire_response
from attune.measures.scoring import score

from .corpus import corpus_instrument, corpus_names, corpus_source, expected_cases

pytestmark = pytest.mark.pure

CASES = [
    pytest.param(name, index, case, id=f"{name}-{index}")
    for name, cases in expected_cases().items()
    for index, case in enumerate(cases)
]


def test_every_corpus_questionnaire_has_hand_computed_cases():
    assert sorted(expected_cases()) == corpus_names()
    assert len(corpus_names()) >= 10


def _walk(items):
    for item in items:
        yield item
        for answer in item.get("answer", []):
            yield from _walk(answer.get("item", []))
        yield from _walk(item.get("item", []))


def rendered(instrument, answers):
    """Return the response an SDC renderer sends for ``answers``."""
    response = build_questionnaire_response(
        instrument, {link_id: (value,) for link_id, value in answers.items()}
    )
    response["questionnaire"] = instrument.key
    return response


def bare(response):
    stripped = copy.deepcopy(response)
    for item in _walk(stripped.get("item", [])):
        for answer in item.get("answer", []):
            answer.get("valueCoding", {}).pop("extension", None)
    return stripped


def tampered(instrument, response):
    """Weights of the client's own on every coding, and a total of its own."""
    changed = copy.deepcopy(response)
    for item in _walk(changed.get("item", [])):
        for answer in item.get("answer", []):
            coding = answer.get("valueCoding")
            if coding is not None:
                coding["extension"] = [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/ordinalValue",
                        "valueDecimal": 99,
                    }
                ]
    total_item = instrument.scoring.total_item if instrument.scoring else None
    if total_item is not None:
        changed.setdefault("item", []).append(
            {"linkId": total_item, "answer": [{"valueDecimal": 999}]}
        )
    return changed


@pytest.mark.parametrize(("name", "index", "case"), CASES)
def test_each_case_scores_to_its_hand_computed_total(name, index, case):
    instrument = corpus_instrument(name)
    response = rendered(instrument, case["answers"])
    for shape, sent in (
        ("rendered", response),
        ("bare", bare(response)),
        ("tampered", tampered(instrument, response)),
    ):
        result = score(instrument, parse_questionnaire_response(json.dumps(sent), instrument))
        assert result.total == case["total"], (shape, result)
        if "missing" in case:
            assert result.items_missing == case["missing"], shape
        if "could_not_score" in case:
            assert case["could_not_score"] in (result.could_not_score or ""), shape
        elif case["total"] is not None:
            assert result.could_not_score is None, (shape, result.could_not_score)
    if "range" in case:
        assert list(instrument.total_range()) == case["range"]
    findings = instrument.review_findings
    for words in case.get("review", []):
        assert any(words in finding for finding in findings), findings
    if not any("review" in other for other in expected_cases()[name]):
        assert findings == (), findings


def test_a_risk_formula_uses_the_corrected_power_function():
    result = score(corpus_instrument("risk-formula"), {"short": 8, "nights": 1})
    assert result.calculated == {"index": pytest.approx(4.4721, abs=1e-4)}


def test_the_weighted_follow_up_the_file_leaves_out_is_out_of_the_range():
    instrument = corpus_instrument("uncounted-follow-up")
    assert instrument.scoring.items == ("k1", "k2")
    assert any(
        "'k3'" in warning and "does not count it" in warning for warning in instrument.warnings
    )


def test_a_questionnaire_without_url_gets_a_stable_identity_from_its_content():
    source = corpus_source("no-url")
    first = import_questionnaire(source)
    assert first.key.startswith("urn:attune:questionnaire:sha256:")
    renamed = {**copy.deepcopy(source), "id": "another-server-id", "meta": {"versionId": "7"}}
    assert import_questionnaire(renamed).key == first.key
    changed = copy.deepcopy(source)
    changed["item"][0]["text"] = "Reworded"
    assert import_questionnaire(changed).key != first.key


def test_a_business_identifier_names_a_url_less_questionnaire():
    source = corpus_source("no-url")
    source["identifier"] = [{"system": "urn:clinic", "value": "connection-1"}]
    assert import_questionnaire(source).key == "urn:clinic/Questionnaire/connection-1"


def test_enable_when_expression_hides_items_from_scoring_and_missing_counts():
    instrument = corpus_instrument("enable-when-expression")
    result = score(instrument, {"s1": "most", "event": False, "s2": "daily"})
    assert (result.total, result.items_missing) == (2, 0)
    assert "answers to items not shown were ignored: s2" in result.notes
    shown = score(instrument, {"s1": "most", "event": True})
    assert (shown.total, shown.missing_items) == (None, ("s2", "s3"))


def test_named_calculations_are_variables_and_later_values_are_settled():
    calc = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"

    def named(expression, name=None):
        value = {"language": "text/fhirpath", "expression": expression}
        if name:
            value["name"] = name
        return {"url": calc, "valueExpression": value}

    instrument = import_questionnaire(
        {
            "resourceType": "Questionnaire",
            "url": "urn:attune:test:named",
            "status": "draft",
            # Reads the calculated item 'doubled', which comes later in the file.
            "extension": [named("%resource.item.where(linkId='doubled').answer.value + 1", "plus")],
            "item": [
                {"linkId": "n", "type": "integer", "text": "A number"},
                {
                    "linkId": "doubled",
                    "type": "integer",
                    "text": "Doubled",
                    "extension": [named("%resource.item.where(linkId='n').answer.value * 2", "d")],
                    "item": [
                        {
                            "linkId": "child",
                            "type": "integer",
                            "text": "Child",
                            "extension": [named("%d + %plus")],
                        }
                    ],
                },
            ],
        }
    )
    assert score(instrument, {"n": 3}).calculated == {"doubled": 6, "child": 13}
