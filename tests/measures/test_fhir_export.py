"""Writing instruments as FHIR Questionnaires, and reading them back unchanged."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from attune.measures.bundled import bundled_instrument_names, load_bundled_instrument
from attune.measures.fhir_export import questionnaire_from_instrument
from attune.measures.fhir_import import import_questionnaire
from attune.measures.scoring import score

from .builders import choice_items, yaml_instrument

pytestmark = pytest.mark.pure


@pytest.mark.parametrize("name", bundled_instrument_names())
def test_it_writes_questionnaires_that_pass_strict_r4_validation(name):
    Questionnaire.model_validate(questionnaire_from_instrument(load_bundled_instrument(name)))


@pytest.mark.parametrize("name", bundled_instrument_names())
def test_it_reads_back_the_same_items_texts_and_weights(name):
    original = load_bundled_instrument(name)
    back = import_questionnaire(questionnaire_from_instrument(original))
    assert back.key == original.key
    assert back.items == original.items
    assert back.title == original.title


def test_it_scores_an_exported_phq9_the_same_as_the_bundled_one():
    phq9 = load_bundled_instrument("phq9")
    back = import_questionnaire(questionnaire_from_instrument(phq9))
    answers = {f"phq9-{n}": "LA6570-1" for n in range(1, 10)}
    answers["phq9-4"] = "LA6571-9"
    assert score(back, answers).total == score(phq9, answers).total == 19
    assert score(back, answers).band == "moderately severe"


def test_it_gives_yaml_instruments_a_questionnaire_for_fhirpath():
    items = choice_items(2) + [
        {
            "link_id": "first-weight",
            "type": "decimal",
            "text": "Weight of q1",
            "calculated": {
                "expression": (
                    "%questionnaire.item.where(linkId = 'q1').answerOption"
                    ".where(valueCoding.code = %resource.item.where(linkId = 'q1')"
                    ".answer.valueCoding.code).extension.valueDecimal"
                )
            },
        }
    ]
    instrument = yaml_instrument(items, {"items": ["q1", "q2"]})
    assert score(instrument, {"q1": "c", "q2": "a"}).calculated == {"first-weight": 2}
