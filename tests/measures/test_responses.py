"""Reading FHIR QuestionnaireResponses into answers, and refusing ones that do not fit."""

from __future__ import annotations

import json

import pytest

from attune.measures.bundled import load_bundled_instrument
from attune.measures.errors import ResponseError
from attune.measures.responses import build_questionnaire_response, parse_questionnaire_response

from .conftest import RESPONSES, read_json

pytestmark = pytest.mark.pure


def response(items, **extra):
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "item": items, **extra}


def rating(link_id, value):
    return {"linkId": link_id, "answer": [{"valueInteger": value}]}


@pytest.fixture
def checkin():
    return load_bundled_instrument("session-checkin")


@pytest.fixture
def phq9():
    return load_bundled_instrument("phq9")


def test_it_reads_nested_answers_by_link_id(checkin):
    answers = parse_questionnaire_response(read_json(RESPONSES / "session-checkin.json"), checkin)
    assert answers["heard"] == (9,)
    assert answers["comment"] == ("Me gustó que preguntara por mi familia.",)
    assert len(answers) == 9


def test_it_reads_json_text_as_well_as_parsed_data(phq9):
    text = (RESPONSES / "phq9-bundled-all-1.json").read_text(encoding="utf-8")
    assert parse_questionnaire_response(text, phq9)["phq9-9"] == ("LA6569-3",)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"resourceType": "Patient"}', "resourceType is 'Patient'"),
        (json.dumps(response([rating("nope", 3)])), "item 'nope': no such item"),
        (json.dumps(response([rating("heard", 11)])), "above the maximum 10"),
        (json.dumps(response([rating("heard", -1)])), "below the minimum 0"),
        (
            json.dumps(response([{"linkId": "heard", "answer": [{"valueString": "ten"}]}])),
            "valueString does not answer a integer item",
        ),
        (
            json.dumps(
                response(
                    [{"linkId": "heard", "answer": [{"valueInteger": 1}, {"valueInteger": 2}]}]
                )
            ),
            "more than one answer",
        ),
        (json.dumps(response([rating("heard", 3), rating("heard", 4)])), "answered more than once"),
        (json.dumps({"resourceType": "QuestionnaireResponse", "item": []}), "status"),
        (
            json.dumps(
                response([rating("heard", 3)], questionnaire="urn:attune:instrument:phq9|2")
            ),
            "answers questionnaire",
        ),
        (
            json.dumps(
                response(
                    [rating("heard", 3)], questionnaire="urn:attune:instrument:session-checkin|2"
                )
            ),
            "answers version '2', not '1'",
        ),
    ],
)
def test_it_refuses_bad_responses_with_one_line(checkin, source, message):
    with pytest.raises(ResponseError) as caught:
        parse_questionnaire_response(source, checkin)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_it_refuses_an_answer_code_that_is_not_an_option(phq9):
    bad = response(
        [
            {
                "linkId": "phq9-problems",
                "item": [{"linkId": "phq9-1", "answer": [{"valueCoding": {"code": "LA9999-9"}}]}],
            }
        ]
    )
    with pytest.raises(ResponseError, match="'LA9999-9' is not one of the options"):
        parse_questionnaire_response(bad, phq9)


def test_it_refuses_a_known_code_from_another_system(phq9):
    bad = response(
        [
            {
                "linkId": "phq9-1",
                "answer": [{"valueCoding": {"system": "urn:other", "code": "LA6568-5"}}],
            }
        ]
    )
    with pytest.raises(ResponseError, match="from 'urn:other'"):
        parse_questionnaire_response(bad, phq9)


def test_it_refuses_answers_on_groups_and_display_items(checkin):
    bad = response([{"linkId": "checkin-intro", "answer": [{"valueString": "hi"}]}])
    with pytest.raises(ResponseError, match="display item takes no answer"):
        parse_questionnaire_response(bad, checkin)


def test_it_round_trips_answers_through_a_built_response(phq9):
    answers = {f"phq9-{n}": ("LA6570-1",) for n in range(1, 10)}
    built = build_questionnaire_response(phq9, answers)
    assert built["questionnaire"] == "urn:attune:instrument:phq9|2"
    assert built["item"][0]["item"][0]["answer"][0]["valueCoding"]["system"] == "http://loinc.org"
    assert parse_questionnaire_response(built, phq9) == answers
