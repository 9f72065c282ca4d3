"""On the client's paged form, questions hidden by answers on earlier pages are left out."""

from __future__ import annotations

from types import SimpleNamespace

from attune.measures.fhir_import import import_questionnaire
from attune.measures.forms import CheckInForm

EWE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"


def yes_no(link_id, text):
    return {"linkId": link_id, "type": "boolean", "text": text}


def long_questionnaire():
    first = [yes_no("moved", "Did you move house this year?")] + [
        yes_no(f"a{n}", f"Question {n} of the first part") for n in range(1, 12)
    ]
    second = [
        {
            **yes_no("settled", "Do you feel settled in the new place?"),
            "extension": [
                {
                    "url": EWE,
                    "valueExpression": {
                        "language": "text/fhirpath",
                        "expression": "%resource.item.where(linkId='one').item"
                        ".where(linkId='moved').answer.value = true",
                    },
                }
            ],
        },
        {
            **yes_no("neighbours", "Have you met your neighbours?"),
            "enableWhen": [{"question": "moved", "operator": "=", "answerBoolean": True}],
        },
        yes_no("b1", "A question for everyone"),
    ]
    return import_questionnaire(
        {
            "resourceType": "Questionnaire",
            "url": "urn:attune:test:long-conditions",
            "status": "draft",
            "item": [
                {"linkId": "one", "type": "group", "text": "Part one", "item": first},
                {"linkId": "two", "type": "group", "text": "Part two", "item": second},
            ],
        }
    )


def form():
    instrument = long_questionnaire()
    stored = SimpleNamespace(key=instrument.key, name="long", title="Long")
    return CheckInForm(parts=[(stored, instrument)], language="en")


def test_questions_hidden_by_an_earlier_page_are_left_out():
    checkin = form()
    assert len(checkin.pages()) == 2
    hidden = checkin.hidden_questions(2, {"p1-moved": "no"})
    assert hidden == {"p1-settled", "p1-neighbours"}
    names = [block.field_name for block in checkin.blocks(2, hide=hidden) if block.field_name]
    assert names == ["p1-b1"]


def test_they_are_shown_when_the_earlier_answer_enables_them():
    assert form().hidden_questions(2, {"p1-moved": "yes"}) == frozenset()


def test_a_skipped_earlier_question_hides_what_depends_on_it():
    assert form().hidden_questions(2, {}) == {"p1-settled", "p1-neighbours"}


def test_nothing_is_hidden_on_the_page_its_condition_is_on():
    assert form().hidden_questions(1, {"p1-moved": "no"}) == frozenset()


def test_djangos_hidden_fields_is_not_shadowed():
    # The check-in form once named its own method ``hidden_fields``, hiding Django's: a template
    # asking a form for its hidden inputs got an error swallowed into nothing.
    checkin = form()
    assert checkin.hidden_fields() == [field for field in checkin if field.is_hidden]
