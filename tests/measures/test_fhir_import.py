"""Importing FHIR R4 Questionnaires: the shapes real files take, and the ones refused."""

from __future__ import annotations

import copy
import json

import pytest

from attune.measures.errors import InstrumentError
from attune.measures.fhir_import import import_questionnaire, load_questionnaire_json
from attune.measures.instrument import EnableOperator, ItemType
from attune.measures.scoring import score

from .conftest import PHQ9_LHC, read_json

pytestmark = pytest.mark.pure

ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"


def translation(language, content):
    return {
        "url": TRANSLATION,
        "extension": [
            {"url": "lang", "valueCode": language},
            {"url": "content", "valueString": content},
        ],
    }


def fhirpath(expression, name=None):
    value = {"language": "text/fhirpath", "expression": expression}
    if name:
        value["name"] = name
    return value


def sleep_questionnaire():
    """Return a small Questionnaire using the SDC features the importer reads."""
    return {
        "resourceType": "Questionnaire",
        "url": "urn:example:sleep",
        "version": "3",
        "status": "active",
        "title": "Sleep",
        "_title": {"extension": [translation("es", "Sueño")]},
        "contained": [
            {
                "resourceType": "ValueSet",
                "id": "often",
                "status": "active",
                "expansion": {
                    "timestamp": "2026-01-01",
                    "contains": [
                        {
                            "system": "urn:example:often",
                            "code": "no",
                            "display": "No",
                            "extension": [{"url": ITEM_WEIGHT, "valueDecimal": 0}],
                        },
                        {
                            "system": "urn:example:often",
                            "code": "yes",
                            "display": "Yes",
                            "extension": [{"url": ITEM_WEIGHT, "valueDecimal": 4}],
                        },
                    ],
                },
            }
        ],
        "extension": [{"url": VARIABLE, "valueExpression": fhirpath("2", "factor")}],
        "item": [
            {
                "linkId": "tired",
                "type": "choice",
                "required": True,
                "text": "Tired?",
                "_text": {"extension": [translation("es", "¿Cansancio?")]},
                "answerOption": [
                    {
                        "valueCoding": {
                            "code": "0",
                            "display": "Not",
                            "_display": {"extension": [translation("es", "Nada")]},
                            "extension": [{"url": ITEM_WEIGHT, "valueInteger": 0}],
                        }
                    },
                    {
                        "valueCoding": {
                            "code": "1",
                            "display": "Very",
                            "extension": [{"url": ITEM_WEIGHT, "valueInteger": 3}],
                        }
                    },
                ],
            },
            {
                "linkId": "woke",
                "type": "choice",
                "text": "Woke in the night?",
                "answerValueSet": "#often",
                "enableWhen": [
                    {"question": "tired", "operator": "=", "answerCoding": {"code": "1"}}
                ],
                "enableBehavior": "any",
            },
            {"linkId": "hours", "type": "decimal", "text": "Hours slept"},
            {
                "linkId": "score",
                "type": "decimal",
                "text": "Score",
                "extension": [
                    {
                        "url": VARIABLE,
                        "valueExpression": fhirpath("%resource.answers().value.weight()", "w"),
                    },
                    {"url": CALCULATED, "valueExpression": fhirpath("%w.sum() * %factor")},
                ],
            },
        ],
    }


def test_it_reads_translations_weights_value_set_expansions_and_conditions():
    instrument = import_questionnaire(sleep_questionnaire())
    assert instrument.key == "urn:example:sleep|3"
    assert instrument.title.in_language("es") == "Sueño"
    tired = instrument.item("tired")
    assert tired.text.in_language("es") == "¿Cansancio?"
    assert tired.options[0].display.in_language("es") == "Nada"
    assert [option.weight for option in tired.options] == [0, 3]
    woke = instrument.item("woke")
    assert [(option.code, option.weight) for option in woke.options] == [("no", 0), ("yes", 4)]
    assert woke.enable_behavior == "any"
    assert woke.enable_when[0].operator is EnableOperator.EQUALS
    assert woke.enable_when[0].answer == "1"
    assert instrument.item("hours").type is ItemType.DECIMAL
    assert instrument.scoring.items == ("tired", "woke")
    assert instrument.scoring.total_item == "score"
    assert instrument.languages() == ("en", "es")


def test_it_evaluates_calculated_items_with_sdc_weight_and_root_variables():
    instrument = import_questionnaire(sleep_questionnaire())
    result = score(instrument, {"tired": "1", "woke": "yes", "hours": 5.5})
    assert result.calculated == {"score": 14}
    # The file doubles the weights: a disagreement is never settled by picking one number.
    assert result.total is None
    assert result.could_not_score == (
        "the file's calculated total 14 differs from the sum of the answers' weights 7"
    )
    assert any("item 'tired'" in finding for finding in instrument.review_findings)
    hidden = score(instrument, {"tired": "0"})
    assert hidden.total == 0
    assert hidden.items_missing == 0


def test_it_reads_weights_from_answer_options_with_ordinal_value():
    data = read_json(PHQ9_LHC)
    instrument = import_questionnaire(data)
    assert instrument.item("/44260-8").options[3].weight == 3


def with_change(change):
    data = sleep_questionnaire()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda q: q["item"][3]["extension"][1]["valueExpression"].update(
                expression="%w.sum( *"
            ),
            "item 'score': cannot parse FHIRPath",
        ),
        (
            lambda q: q["item"][3]["extension"][1]["valueExpression"].update(
                expression="%w.frobnicate()"
            ),
            "item 'score': FHIRPath '%w.frobnicate()' calls functions the engine lacks: frobnicate",
        ),
        (
            lambda q: q["item"][3]["extension"][1]["valueExpression"].update(
                expression="%nope + 1"
            ),
            "item 'score': FHIRPath '%nope + 1' reads undeclared variables: %nope",
        ),
        (
            lambda q: q["item"][3]["extension"][0]["valueExpression"].update(expression="1 1"),
            "item 'score': variable %w",
        ),
        (
            lambda q: q["item"][3]["extension"][1]["valueExpression"].update(language="text/cql"),
            "item 'score': expression language 'text/cql' is not supported",
        ),
        (
            lambda q: q["item"][1].update(answerValueSet="http://example.org/vs/unknown"),
            "item 'woke': answerValueSet 'http://example.org/vs/unknown' is neither contained",
        ),
        (
            lambda q: q["item"][1].update(answerValueSet="#missing"),
            "item 'woke': answerValueSet '#missing' names no contained ValueSet",
        ),
        (
            lambda q: q["item"][2].update(type="attachment"),
            "item 'hours': type 'attachment' is not supported",
        ),
        (lambda q: q["item"][2].update(type="slider"), "item 'hours': unknown item type 'slider'"),
        (
            lambda q: q["item"][1]["enableWhen"][0].update(question="ghost"),
            "item 'woke': enableWhen refers to unknown item 'ghost'",
        ),
        (
            lambda q: q["item"][2].update(linkId="tired"),
            "item 'tired': linkId is used more than once",
        ),
        (lambda q: q.update(resourceType="ValueSet"), "resourceType is 'ValueSet'"),
        (lambda q: q.update(item=[]), "has no items"),
    ],
)
def test_it_refuses_what_it_cannot_import_faithfully(change, message):
    with pytest.raises(InstrumentError) as caught:
        import_questionnaire(with_change(change))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_it_names_the_item_when_a_real_files_expression_is_broken():
    data = copy.deepcopy(read_json(PHQ9_LHC))
    total = data["item"][9]
    total["extension"][-2]["valueExpression"]["expression"] = "iif(%any_questions_answered, "
    with pytest.raises(InstrumentError, match=r"item '/44261-6': cannot parse FHIRPath"):
        import_questionnaire(data)


def test_it_refuses_text_that_is_not_json():
    with pytest.raises(InstrumentError, match="not JSON"):
        load_questionnaire_json("<Questionnaire/>")


def test_it_accepts_both_ordinal_value_and_item_weight():
    data = sleep_questionnaire()
    option = data["item"][0]["answerOption"][1]
    option["valueCoding"]["extension"][0]["url"] = (
        "http://hl7.org/fhir/StructureDefinition/ordinalValue"
    )
    assert import_questionnaire(json.loads(json.dumps(data))).item("tired").options[1].weight == 3
