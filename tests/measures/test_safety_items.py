"""Safety items wherever they are: imported copies in several shapes raise the safety signal.

Every Questionnaire here is written for these tests (our own wording, synthetic files), in the
shapes real files take: codes on the item or on the Questionnaire or nowhere, linkIds of any
kind, nested groups, weights or no weights, yes/no as codings or booleans.
"""

from __future__ import annotations

import json

import pytest

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.measures import services
from attune.measures.cli import main
from attune.measures.errors import InstrumentError
from attune.measures.fhir_export import questionnaire_from_instrument
from attune.measures.fhir_import import import_questionnaire, load_questionnaire_json
from attune.measures.models import Signal, SignalKind, StoredInstrument
from attune.measures.safety import (
    SAFETY_ITEM_EXTENSION,
    find_safety_items,
    mark_safety_items,
)
from attune.measures.scoring import score
from tests.measures.checkins import BASE_URL

LOINC = "http://loinc.org"
WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


def weighted(options, url=WEIGHT):
    """answerOption entries from (code, display, weight) triples."""
    return [
        {
            "valueCoding": {"code": code, "display": display},
            "extension": [{"url": url, "valueDecimal": weight}],
        }
        for code, display, weight in options
    ]


FREQUENCY = [("f0", "Not at all", 0), ("f1", "Some days", 1), ("f2", "Most days", 2)]
FREQUENCY += [("f3", "Every day", 3)]
# The postnatal scale's last item runs from the most to the least often, scored 3 down to 0.
HARM_OPTIONS = [("h3", "Yes, often", 3), ("h2", "At times", 2), ("h1", "Rarely", 1)]
HARM_OPTIONS += [("h0", "Never", 0)]
YES_NO = [
    {"valueCoding": {"system": LOINC, "code": "LA33-6", "display": "Yes"}},
    {"valueCoding": {"system": LOINC, "code": "LA32-8", "display": "No"}},
]


def epds_like(*, code_on_root=True, harm_text="The idea of harming myself has come to me"):
    """A postnatal-scale copy: ten weighted items in a nested group, linkIds of its own."""
    questions = [
        {
            "linkId": f"pn.{n}",
            "type": "choice",
            "text": f"Postnatal question {n} in our own words",
            "answerOption": weighted(FREQUENCY, url=ORDINAL),
        }
        for n in range(1, 10)
    ]
    questions.append(
        {
            "linkId": "pn.10",
            "type": "choice",
            "text": harm_text,
            "answerOption": weighted(HARM_OPTIONS, url=ORDINAL),
        }
    )
    questionnaire = {
        "resourceType": "Questionnaire",
        "url": "urn:example:clinic:postnatal",
        "version": "1",
        "status": "active",
        "title": "Edinburgh Postnatal Depression Scale (clinic copy)",
        "item": [
            {
                "linkId": "outer",
                "type": "group",
                "item": [{"linkId": "inner", "type": "group", "item": questions}],
            }
        ],
    }
    if code_on_root:
        questionnaire["code"] = [{"system": LOINC, "code": "71354-5"}]
        questionnaire["title"] = "Mood after birth"
    return questionnaire


def epds_answers(harm_code: str) -> dict:
    return {**{f"pn.{n}": "f0" for n in range(1, 10)}, "pn.10": harm_code}


def phq9_shaped(*, item9_code=True, item9_text="Pensamientos de que estaría mejor muerto"):
    """A nine-item mood check: random linkIds, no code on the Questionnaire, item 9 coded."""
    items = [
        {
            "linkId": f"x{n:02d}-{'abcdefghi'[n - 1]}",
            "type": "choice",
            "text": f"Mood question {n}",
            "answerOption": weighted(FREQUENCY),
        }
        for n in range(1, 10)
    ]
    if item9_code:
        items[8]["code"] = [{"system": LOINC, "code": "44260-8"}]
    items[8]["text"] = item9_text
    return {
        "resourceType": "Questionnaire",
        "url": "urn:example:clinic:mood-check",
        "status": "active",
        "title": "Mood check",
        "item": [{"linkId": "g", "type": "group", "item": items}],
    }


def cssrs_like():
    """A suicide-risk screener copy: yes/no codings and booleans, no weights, no score."""
    return {
        "resourceType": "Questionnaire",
        "url": "urn:example:clinic:risk-screen",
        "status": "active",
        "title": "C-SSRS screener, clinic copy",
        "item": [
            {"linkId": "s1", "type": "choice", "text": "Question one", "answerOption": YES_NO},
            {"linkId": "s2", "type": "choice", "text": "Question two", "answerOption": YES_NO},
            {"linkId": "s3", "type": "boolean", "text": "Question three"},
            {"linkId": "note", "type": "string", "text": "Anything else?"},
        ],
    }


# Recognition ---------------------------------------------------------------------------------


def test_a_postnatal_copy_known_by_its_code_marks_its_self_harm_item():
    instrument = import_questionnaire(epds_like())
    assert set(find_safety_items(instrument)) == {"pn.10"}
    assert instrument.item("pn.10").safety


def test_a_postnatal_copy_known_only_by_its_title_and_worded_otherwise_marks_item_10():
    instrument = import_questionnaire(epds_like(code_on_root=False, harm_text="Pregunta diez"))
    found = find_safety_items(instrument)
    assert list(found) == ["pn.10"]
    assert "question 10 of the EPDS" in found["pn.10"]


@pytest.mark.parametrize(
    ("harm_code", "raised"),
    [("h0", ()), ("h1", ("pn.10",)), ("h2", ("pn.10",)), ("h3", ("pn.10",))],
)
def test_any_non_zero_answer_on_the_postnatal_self_harm_item_raises_safety(harm_code, raised):
    instrument = import_questionnaire(epds_like())
    assert score(instrument, epds_answers(harm_code)).safety_items == raised


def test_a_postnatal_copy_known_only_by_the_code_in_its_url_marks_item_10():
    questionnaire = epds_like(code_on_root=False, harm_text="Pregunta diez")
    questionnaire["title"] = "Cuestionario"
    questionnaire["url"] = "https://forms.example/Questionnaire/71354-5"
    assert list(find_safety_items(import_questionnaire(questionnaire))) == ["pn.10"]


def test_phq9_item_9_is_found_by_its_code_whatever_its_linkid_depth_or_language():
    instrument = import_questionnaire(phq9_shaped())
    found = find_safety_items(instrument)
    assert list(found) == ["x09-i"] and "44260-8" in found["x09-i"]
    answers = {f"x{n:02d}-{'abcdefghi'[n - 1]}": "f0" for n in range(1, 10)}
    assert score(instrument, answers).safety_items == ()
    assert score(instrument, {**answers, "x09-i": "f1"}).safety_items == ("x09-i",)


def test_phq9_item_9_is_found_by_its_wording_without_a_code():
    questionnaire = phq9_shaped(
        item9_code=False, item9_text="Thoughts that you would be better off dead"
    )
    assert list(find_safety_items(import_questionnaire(questionnaire))) == ["x09-i"]


def test_a_phq_a_copy_marks_item_9_by_position_and_its_yes_no_questions_by_wording():
    questionnaire = phq9_shaped(item9_code=False, item9_text="Pregunta nueve")
    questionnaire["code"] = [{"system": LOINC, "code": "89206-7"}]
    questionnaire["title"] = "Teen mood"
    group = questionnaire["item"][0]["item"]
    group.append(
        {
            "linkId": "month",
            "type": "choice",
            "text": "In the last month, have you seriously thought about ending your life?",
            "answerOption": YES_NO,
        }
    )
    instrument = import_questionnaire(questionnaire)
    found = find_safety_items(instrument)
    assert set(found) == {"month"}  # the wording found one, so position is not needed
    answers = {f"x{n:02d}-{'abcdefghi'[n - 1]}": "f0" for n in range(1, 10)}
    assert score(instrument, {**answers, "month": "LA32-8"}).safety_items == ()
    assert score(instrument, {**answers, "month": "LA33-6"}).safety_items == ("month",)


def test_a_phq_a_copy_with_nothing_to_read_marks_item_9_by_position():
    questionnaire = phq9_shaped(item9_code=False, item9_text="Pregunta nueve")
    questionnaire["title"] = "PHQ-9 modified for teens (clinic copy)"
    found = find_safety_items(import_questionnaire(questionnaire))
    assert list(found) == ["x09-i"] and "PHQ-A" in found["x09-i"]


def test_every_yes_no_question_of_a_cssrs_copy_is_a_safety_item_raised_only_by_yes():
    instrument = import_questionnaire(cssrs_like())
    assert instrument.scoring is None
    assert set(find_safety_items(instrument)) == {"s1", "s2", "s3"}
    no = {"s1": "LA32-8", "s2": "LA32-8", "s3": False, "note": "fine"}
    assert score(instrument, no).safety_items == ()
    assert score(instrument, {**no, "s2": "LA33-6"}).safety_items == ("s2",)
    assert score(instrument, {**no, "s3": True}).safety_items == ("s3",)


def test_cssrs_item_codes_are_safety_items_in_any_instrument():
    questionnaire = {
        "resourceType": "Questionnaire",
        "url": "urn:example:clinic:intake",
        "status": "active",
        "title": "Intake",
        "item": [
            {
                "linkId": "w",
                "type": "choice",
                "code": [{"system": LOINC, "code": "93246-7"}],
                "text": "First screener question",
                "answerOption": YES_NO,
            },
            {"linkId": "sleep", "type": "integer", "text": "Hours of sleep"},
        ],
    }
    assert list(find_safety_items(import_questionnaire(questionnaire))) == ["w"]


def test_an_instrument_with_no_safety_question_has_no_safety_items():
    questionnaire = epds_like(code_on_root=False, harm_text="Question ten")
    questionnaire["title"] = "Sleep diary"
    assert find_safety_items(import_questionnaire(questionnaire)) == {}


# The agency's own mark -----------------------------------------------------------------------


def test_an_agency_marks_an_item_in_the_file_and_the_mark_survives_export():
    questionnaire = epds_like(code_on_root=False, harm_text="Question ten")
    questionnaire["title"] = "Sleep diary"
    questionnaire["item"][0]["item"][0]["item"][2]["extension"] = [
        {"url": SAFETY_ITEM_EXTENSION, "valueBoolean": True}
    ]
    instrument = import_questionnaire(questionnaire)
    assert find_safety_items(instrument) == {"pn.3": "marked by the agency"}
    again = import_questionnaire(questionnaire_from_instrument(instrument))
    assert again.item("pn.3").safety


def test_marking_at_import_names_a_missing_or_unanswerable_item():
    text = json.dumps(epds_like())
    marked = load_questionnaire_json(mark_safety_items(text, ["pn.2"]))
    assert marked.item("pn.2").safety and marked.item("pn.10").safety
    with pytest.raises(InstrumentError, match="no item 'nope'"):
        mark_safety_items(text, ["nope"])
    with pytest.raises(InstrumentError, match="only a question"):
        mark_safety_items(text, ["inner"])


# Through the database: the signal reaches a person ------------------------------------------


def run(capsys, *argv):
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_an_imported_postnatal_copy_answered_with_self_harm_raises_a_safety_signal(
    agency, capsys, tmp_path
):
    path = tmp_path / "postnatal.json"
    path.write_text(json.dumps(epds_like(code_on_root=False)), encoding="utf-8")
    code, out, _ = run(capsys, "import", path)
    assert code == 0 and "safety item: pn.10" in out
    stored = StoredInstrument.objects.get(url="urn:example:clinic:postnatal")
    client = agency.client_a
    sent = services.checkin_send(
        actor=Actor(user=client.therapist),
        client=client,
        instrument=stored,
        goal_texts=(),
        base_url=BASE_URL,
    )
    services.checkin_submit(
        actor=Actor(link_id=sent.checkin.link_id),
        checkin=sent.checkin,
        answers={stored.key: epds_answers("h1")},
    )
    signal = Signal.objects.get(client=client)
    assert signal.kind == SignalKind.SAFETY
    assert signal.facts["safety_item"]["items"] == ["pn.10"]
    assert AccessEvent.objects.get(object_type="signal").flagged


def test_a_leader_marks_a_safety_item_at_import_and_it_is_trailed(db, capsys, tmp_path):
    questionnaire = epds_like(code_on_root=False, harm_text="Question ten")
    questionnaire["title"] = "Sleep diary"
    path = tmp_path / "diary.json"
    path.write_text(json.dumps(questionnaire), encoding="utf-8")
    code, out, _ = run(capsys, "import", path, "--safety-item", "pn.4")
    assert code == 0 and "safety item: pn.4 (marked by the agency)" in out
    stored = StoredInstrument.objects.get()
    assert services.instrument_of(stored).item("pn.4").safety
    assert AccessEvent.objects.filter(detail="safety items marked at import: pn.4").exists()


def test_marking_an_unknown_item_or_a_yaml_file_stores_nothing_and_exits_2(db, capsys, tmp_path):
    path = tmp_path / "postnatal.json"
    path.write_text(json.dumps(epds_like()), encoding="utf-8")
    code, out, err = run(capsys, "import", path, "--safety-item", "q99")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "no item 'q99'" in err
    yaml_path = tmp_path / "sleep.yaml"
    yaml_path.write_text(
        "attune_instrument: 1\nname: sleep\nurl: urn:example:sleep\nversion: '1'\n"
        "items:\n  - {link_id: nights, type: integer, range: {min: 0, max: 7}, text: Nights}\n"
        "scoring: {method: sum}\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "import", yaml_path, "--safety-item", "nights")
    assert code == 2 and "safety: true" in err
    assert not StoredInstrument.objects.exists()


def test_a_yes_on_an_unscored_screener_reaches_the_therapist(agency):
    questionnaire = cssrs_like()
    stored = services.instrument_store(
        actor=Actor.system(),
        instrument=import_questionnaire(questionnaire),
        source_format="fhir",
        source=json.dumps(questionnaire),
    )[0]
    client = agency.client_a
    sent = services.checkin_send(
        actor=Actor(user=client.therapist),
        client=client,
        instrument=stored,
        goal_texts=(),
        base_url=BASE_URL,
    )
    (response,) = services.checkin_submit(
        actor=Actor(link_id=sent.checkin.link_id),
        checkin=sent.checkin,
        answers={stored.key: {"s1": "LA33-6", "s2": "LA32-8", "s3": False}},
    )
    assert response.total is None and response.safety_items == ["s1"]
    assert Signal.objects.get(client=client).kind == SignalKind.SAFETY


def test_a_postnatal_copy_of_bounded_numbers_known_by_its_url_raises_on_any_non_zero_item_10():
    bounds = [
        {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
        {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 3},
    ]
    questionnaire = {
        "resourceType": "Questionnaire",
        "url": "http://municipality.example/Questionnaire/children-epds",
        "status": "active",
        "title": "Spørgeskema",
        "item": [
            {"linkId": f"{n}q", "type": "integer", "text": f"Spørgsmål {n}", "extension": bounds}
            for n in range(1, 11)
        ],
    }
    instrument = import_questionnaire(questionnaire)
    assert list(find_safety_items(instrument)) == ["10q"]
    answers = {f"{n}q": 0 for n in range(1, 11)}
    assert score(instrument, answers).safety_items == ()
    assert score(instrument, {**answers, "10q": 1}).safety_items == ("10q",)
