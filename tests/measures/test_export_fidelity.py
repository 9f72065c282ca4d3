"""A faithful export: LOINC codes for recognised instruments whatever their file, units right for
non-score calculations, calculated items kept, a valid Bundle when empty, and never a total the
engine does not stand behind. Every Bundle is validated with fhir.resources.

The Questionnaires are our own, written for these tests.
"""

from __future__ import annotations

import json

import pytest

from attune.access.actor import Actor
from attune.measures import services
from attune.measures.fhir_export import total_concept
from attune.measures.fhir_import import import_questionnaire
from attune.measures.models import Response, SourceFormat
from attune.measures.queries import client_fhir_bundle, validate_bundle
from tests.measures.checkins import BASE_URL

LOINC = "http://loinc.org"
WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
OPTIONS = [
    {
        "valueCoding": {"code": f"o{weight}", "display": f"Level {weight}"},
        "extension": [{"url": WEIGHT, "valueDecimal": weight}],
    }
    for weight in range(4)
]


def scale(count, *, url, title, code=None, total=False, total_code=None):
    """A questionnaire of ``count`` weighted 0-3 questions with linkIds of our own."""
    items = [
        {"linkId": f"w{n}", "type": "choice", "text": f"Question {n}", "answerOption": OPTIONS}
        for n in range(1, count + 1)
    ]
    if total:
        expression = "%resource.item.where(linkId.startsWith('w')).answer.value.weight().sum()"
        entry = {
            "linkId": "sum",
            "type": "integer",
            "text": "Sum",
            "readOnly": True,
            "extension": [
                {
                    "url": CALCULATED,
                    "valueExpression": {"language": "text/fhirpath", "expression": expression},
                }
            ],
        }
        if total_code:
            entry["code"] = [{"system": LOINC, "code": total_code}]
        items.append(entry)
    questionnaire = {
        "resourceType": "Questionnaire",
        "url": url,
        "version": "1",
        "status": "active",
        "title": title,
        "item": items,
    }
    if code:
        questionnaire["code"] = [{"system": LOINC, "code": code}]
    return questionnaire


def bmi_form(*, with_code=False, with_unit=False):
    expression = (
        "(%resource.item.where(linkId='kg').answer.value / "
        "(%resource.item.where(linkId='m').answer.value * "
        "%resource.item.where(linkId='m').answer.value)).round(1)"
    )
    result = {
        "linkId": "bmi",
        "type": "decimal",
        "text": "Body mass index",
        "readOnly": True,
        "extension": [
            {
                "url": CALCULATED,
                "valueExpression": {"language": "text/fhirpath", "expression": expression},
            }
        ],
    }
    if with_code:
        result["code"] = [{"system": LOINC, "code": "39156-5"}]
        result["text"] = "Result"
    if with_unit:
        result["extension"].append(
            {
                "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit",
                "valueCoding": {"system": "http://unitsofmeasure.org", "code": "kg/m2"},
            }
        )
    return {
        "resourceType": "Questionnaire",
        "url": "urn:example:clinic:body",
        "version": "1",
        "status": "active",
        "title": "Body measures",
        "item": [
            {"linkId": "kg", "type": "decimal", "text": "Weight in kilograms"},
            {"linkId": "m", "type": "decimal", "text": "Height in metres"},
            result,
        ],
    }


# Codes and units (no database) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("questionnaire", "code"),
    [
        (scale(9, url="urn:example:a", title="Mood", code="44249-1"), "44261-6"),
        (scale(9, url="urn:example:clinic:phq-9", title="Mood check"), "44261-6"),
        (scale(7, url="https://clinic.example/Questionnaire/gad-7", title="Worry"), "70274-6"),
        (scale(7, url="urn:example:b", title="Worry", code="69737-5"), "70274-6"),
        (scale(9, url="urn:example:c", title="Teen mood", code="89206-7"), "89204-2"),
        (scale(9, url="https://forms.example/Questionnaire/89206-7", title="Teen"), "89204-2"),
        (scale(9, url="http://loinc.org/q/44249-1", title="Mood"), "44261-6"),
        (scale(10, url="urn:example:d", title="After the birth", code="71354-5"), "99046-5"),
        (scale(10, url="urn:example:e", title="EPDS (clinic copy)"), "99046-5"),
    ],
)
def test_a_recognised_instrument_gets_its_loinc_total_code_whatever_its_file(questionnaire, code):
    concept = total_concept(import_questionnaire(questionnaire), "imported")
    (coding,) = concept.codings
    assert coding["system"] == LOINC and coding["code"] == code
    assert concept.unit["code"] == "{score}" and concept.is_score


def test_an_unknown_scale_keeps_its_text_only():
    concept = total_concept(import_questionnaire(scale(5, url="urn:example:f", title="Energy")))
    assert concept.codings == () and concept.text == "Energy: total score"


def test_a_phq9_title_with_another_shape_is_not_given_the_phq9_code():
    questionnaire = scale(5, url="urn:example:g", title="PHQ-9 short")
    assert total_concept(import_questionnaire(questionnaire)).codings == ()


def test_the_files_own_total_code_is_used_as_given():
    questionnaire = scale(9, url="urn:example:h", title="Mood", total=True, total_code="44261-6")
    concept = total_concept(import_questionnaire(questionnaire))
    assert concept.codings == ({"system": LOINC, "code": "44261-6"},)


@pytest.mark.parametrize(("with_code", "with_unit"), [(False, False), (True, False), (False, True)])
def test_a_body_mass_index_is_in_kg_per_m2_with_its_loinc_code(with_code, with_unit):
    concept = total_concept(
        import_questionnaire(bmi_form(with_code=with_code, with_unit=with_unit))
    )
    assert concept.codings[0]["code"] == "39156-5"
    assert concept.unit["code"] == "kg/m2" and concept.unit["system"] == "http://unitsofmeasure.org"
    assert not concept.is_score and "score" not in concept.text


# Through the database --------------------------------------------------------------------------


def store(questionnaire):
    text = json.dumps(questionnaire)
    return services.instrument_store(
        actor=Actor.system(),
        instrument=import_questionnaire(questionnaire),
        source_format=SourceFormat.FHIR,
        source=text,
    )[0]


def answer_stored(client, stored, answers):
    sent = services.checkin_send(
        actor=Actor(user=client.therapist),
        client=client,
        instrument=stored,
        goal_texts=(),
        base_url=BASE_URL,
    )
    return services.checkin_submit(
        actor=Actor(link_id=sent.checkin.link_id),
        checkin=sent.checkin,
        answers={stored.key: answers},
    )


def export(client):
    bundle = client_fhir_bundle(actor=Actor.system(), client=client)
    validate_bundle(bundle)
    return bundle


def resources_of(bundle, kind):
    return [
        entry["resource"]
        for entry in bundle.get("entry", ())
        if entry["resource"]["resourceType"] == kind
    ]


def test_a_client_with_no_responses_exports_a_valid_bundle_without_entry(agency):
    bundle = export(agency.client_b)
    assert bundle == {"resourceType": "Bundle", "type": "collection"}


def test_an_imported_phq9_exports_loinc_44261_6_and_its_calculated_total(agency):
    questionnaire = scale(
        9, url="urn:example:clinic:mood", title="Mood", code="44249-1", total=True
    )
    stored = store(questionnaire)
    answer_stored(agency.client_a, stored, {f"w{n}": "o1" for n in range(1, 10)})
    bundle = export(agency.client_a)
    (response,) = resources_of(bundle, "QuestionnaireResponse")
    total_item = next(item for item in response["item"] if item["linkId"] == "sum")
    assert total_item["answer"] == [{"valueInteger": 9}]
    (observation,) = resources_of(bundle, "Observation")
    assert observation["code"]["coding"][0]["code"] == "44261-6"
    assert observation["valueQuantity"] == {
        "value": 9,
        "unit": "{score}",
        "system": "http://unitsofmeasure.org",
        "code": "{score}",
    }


def test_a_body_mass_index_exports_in_kg_per_m2_with_its_calculated_value(agency):
    stored = store(bmi_form())
    answer_stored(agency.client_a, stored, {"kg": 70.0, "m": 1.75})
    bundle = export(agency.client_a)
    (response,) = resources_of(bundle, "QuestionnaireResponse")
    bmi = next(item for item in response["item"] if item["linkId"] == "bmi")
    assert bmi["answer"] == [{"valueDecimal": 22.9}]
    (observation,) = resources_of(bundle, "Observation")
    assert observation["code"]["coding"][0]["code"] == "39156-5"
    assert observation["valueQuantity"]["value"] == 22.9
    assert observation["valueQuantity"]["code"] == "kg/m2"
    assert observation["category"][0]["coding"][0]["code"] == "vital-signs"


def test_a_total_the_engine_no_longer_stands_behind_goes_out_without_a_value(agency):
    stored = store(scale(9, url="urn:example:clinic:mood2", title="Mood", code="44249-1"))
    answer_stored(agency.client_a, stored, {f"w{n}": "o0" for n in range(1, 10)})
    Response.objects.filter(instrument=stored).update(total=14)  # not what the answers give
    (observation,) = resources_of(export(agency.client_a), "Observation")
    assert "valueQuantity" not in observation and "interpretation" not in observation
    assert observation["dataAbsentReason"]["coding"][0]["code"] == "error"
