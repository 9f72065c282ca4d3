"""Instruments held "needs review": stored with their findings, never sent until a leader
accepts them with a reason (trailed); scores the engine cannot stand behind stored as such."""

from __future__ import annotations

import json

import pytest
from django.test import Client as HttpClient

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.measures import parsed_instruments, services
from attune.measures.cli import main
from attune.measures.models import CheckIn, Response, ReviewState, StoredInstrument
from tests.measures.checkins import BASE_URL

from .corpus import CORPUS


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def held(agency) -> StoredInstrument:
    stored, _ = services.instrument_import_file(
        actor=Actor.system(), path=CORPUS / "disagreeing-total.json"
    )
    return stored


def test_an_import_whose_total_disagrees_is_held_with_its_findings_item_by_item(agency):
    stored = held(agency)
    assert stored.review_state == ReviewState.NEEDS_REVIEW
    assert any(finding.startswith("item 'p1'") for finding in stored.review_findings)
    assert any(finding.startswith("item 'p2'") for finding in stored.review_findings)
    entry = AccessEvent.objects.filter(object_type="instrument").last()
    assert "needs review" in entry.detail


def test_a_clean_import_is_ready(agency):
    stored, _ = services.instrument_import_file(
        actor=Actor.system(), path=CORPUS / "weights-on-options.json"
    )
    assert stored.review_state == ReviewState.READY and stored.review_findings == []


def test_an_instrument_in_review_is_never_sent(agency):
    stored = held(agency)
    with pytest.raises(services.InstrumentNotReady, match="needs review by a leader"):
        services.checkin_send(
            actor=Actor(user=agency.therapist_a),
            client=agency.client_a,
            instrument=stored,
            base_url=BASE_URL,
        )
    http = signed_in(agency.therapist_a)
    page = http.get(f"/clients/{agency.client_a.pk}/measures/").content.decode()
    assert "needs review, cannot be sent yet" in page
    sent = http.post(
        f"/clients/{agency.client_a.pk}/measures/send/",
        {"instrument": f"stored:{stored.pk}"},
        follow=True,
    )
    assert "needs review by a leader before it can be sent" in sent.content.decode()
    assert not CheckIn.objects.exists()


def test_it_cannot_be_scheduled_either(agency):
    from datetime import date

    stored = held(agency)
    with pytest.raises(services.ScheduleError, match="needs review"):
        services.schedule_create(
            actor=Actor(user=agency.therapist_a),
            client=agency.client_a,
            instrument=stored,
            interval_weeks=2,
            first_due_on=date(2026, 1, 1),
        )


def test_a_leader_accepts_it_with_a_reason_on_the_review_page(agency):
    stored = held(agency)
    http = signed_in(agency.leader)
    page = http.get("/instruments/review/").content.decode()
    assert stored.title in page and "item &#x27;p1&#x27;" in page
    refused = http.post(f"/instruments/{stored.pk}/accept/", {"reason": " "})
    assert refused.status_code == 400
    http.post(f"/instruments/{stored.pk}/accept/", {"reason": "Doubled on purpose by the authors"})
    stored.refresh_from_db()
    assert stored.review_state == ReviewState.ACCEPTED
    assert stored.reviewed_by == agency.leader
    assert stored.review_reason == "Doubled on purpose by the authors"
    entry = AccessEvent.objects.filter(object_type="instrument", action="update").last()
    assert entry.actor == agency.leader and "Doubled on purpose" in entry.detail
    sent = services.checkin_send(
        actor=Actor(user=agency.therapist_a),
        client=agency.client_a,
        instrument=stored,
        base_url=BASE_URL,
    )
    assert sent.checkin.instrument == stored


def test_only_a_leader_accepts(agency):
    stored = held(agency)
    with pytest.raises(services.InstrumentError, match="only a leader"):
        services.instrument_accept(
            actor=Actor(user=agency.therapist_a), stored=stored, reason="fine"
        )
    assert signed_in(agency.therapist_a).get("/instruments/review/").status_code == 404


def test_the_command_line_lists_and_accepts(agency, capsys):
    code = main(["import", str(CORPUS / "disagreeing-total.json")])
    out = capsys.readouterr().out
    assert code == 0 and "needs review" in out and "item 'p1'" in out
    main(["review"])
    assert "urn:attune:corpus:disagreeing-total|1" in capsys.readouterr().out
    assert (
        main(["accept", "urn:attune:corpus:disagreeing-total|1", "--by", "ana", "--reason", "x"])
        == 2
    )
    assert "not an active leader" in capsys.readouterr().err
    code = main(
        ["accept", "urn:attune:corpus:disagreeing-total|1", "--by", "lee", "--reason", "Read it"]
    )
    assert code == 0
    assert StoredInstrument.objects.get().review_state == ReviewState.ACCEPTED


def test_a_score_the_engine_cannot_stand_behind_is_stored_as_could_not_score(agency):
    stored = services.instrument_accept(
        actor=Actor(user=agency.leader), stored=held(agency), reason="Read it"
    )
    sent = services.checkin_send(
        actor=Actor(user=agency.therapist_a),
        client=agency.client_a,
        instrument=stored,
        base_url=BASE_URL,
    )
    services.checkin_submit(
        actor=Actor(link_id=sent.checkin.link_id),
        checkin=sent.checkin,
        answers={stored.key: {"p1": "most", "p2": "some"}},
    )
    response = Response.objects.get(instrument=stored)
    assert response.total is None
    assert response.could_not_score
    assert "differs from the sum of the answers' weights 3" in response.score_problem
    page = signed_in(agency.therapist_a).get(f"/clients/{agency.client_a.pk}/measures/")
    assert "could not score: the file&#x27;s calculated total 6 differs" in page.content.decode()


def test_an_agency_terminology_bundle_is_loaded_and_kept_with_the_instrument(agency, tmp_path):
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "ValueSet",
                    "url": "urn:agency:vs:yes-no",
                    "version": "1",
                    "compose": {
                        "include": [
                            {
                                "system": "urn:agency",
                                "concept": [
                                    {
                                        "code": c,
                                        "display": c,
                                        "extension": [
                                            {
                                                "url": "http://hl7.org/fhir/StructureDefinition/itemWeight",
                                                "valueDecimal": w,
                                            }
                                        ],
                                    }
                                    for c, w in (("no", 0), ("yes", 2))
                                ],
                            }
                        ]
                    },
                }
            }
        ],
    }
    path = tmp_path / "terms.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    assert main(["terminology", str(path)]) == 0
    source = json.loads((CORPUS / "external-answer-list.json").read_text(encoding="utf-8"))
    source["item"][1]["answerValueSet"] = "urn:agency:vs:yes-no"
    questionnaire = tmp_path / "q.json"
    questionnaire.write_text(json.dumps(source), encoding="utf-8")
    stored, _ = services.instrument_import_file(actor=Actor.system(), path=questionnaire)
    assert set(stored.terminology) == {"http://loinc.org/vs/LL358-3", "urn:agency:vs:yes-no"}
    parsed_instruments._PARSED.clear()
    instrument = services.instrument_of(stored)
    assert instrument.item("f2").options[1].weight == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"resourceType": "Bundle", "entry": []}', encoding="utf-8")
    assert main(["terminology", str(bad)]) == 2
