"""A journal entry is its author's alone: no other persona finds a trace of it anywhere.

Every GET page of the access matrix is opened as each other persona and searched for a phrase
written only in the entry; the exports, the equity source and the access trail are searched too.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.care.models import Reflection
from attune.equity.database import database_statistics
from attune.measures import cli as measures_cli
from tests.access.test_access_matrix import MATRIX, client_for, own_and_other
from tests.care.reflection_builders import share, write
from tests.care.test_reflections import held_session, signed_in

ANSWER_PHRASE = "marmalade-heron-answer"
NOTE_PHRASE = "tangerine-bollard-note"
OTHERS = ("therapist_b", "supervisor", "leader", "client", "anonymous")


@pytest.fixture
def private_entry(agency):
    return write(
        agency.therapist_a,
        f"Felt defensive when she named the waiting list. {NOTE_PHRASE}",
        client=agency.client_a,
        session=held_session(agency.client_a),
        tags=["countertransference", "systemic"],
        answers={"effect_on_client": f"My accent may have read as officialdom. {ANSWER_PHRASE}"},
    )


def assert_no_trace(body: str, where: str) -> None:
    for phrase in (ANSWER_PHRASE, NOTE_PHRASE):
        assert phrase not in body and escape(phrase) not in body, f"{phrase} leaked in {where}"


def pages_of(agency, persona):
    """Yield (where, body) for every GET page of the matrix that ``persona`` opens."""
    http = client_for(agency, persona)
    for route, (method, kind, _expectations) in MATRIX.items():
        if method != "get":
            continue
        for kwargs in own_and_other(agency, persona, kind):
            response = http.get(reverse(route, kwargs=kwargs), follow=True)
            yield f"{route} {kwargs} as {persona}", response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("persona", OTHERS)
def test_no_other_persona_finds_a_trace_of_an_unshared_entry(agency, private_entry, persona):
    user = agency.staff(persona)
    if user is not None:
        detail = signed_in(user).get(f"/reflections/{private_entry.pk}/")
        assert detail.status_code == 404
        assert_no_trace(detail.content.decode(), "the entry's own page")
    opened = 0
    for where, body in pages_of(agency, persona):
        assert_no_trace(body, where)
        opened += 1
    assert opened > 20


def test_the_leaders_trail_shows_that_an_entry_exists_but_never_its_words(agency, private_entry):
    http = signed_in(agency.leader)
    for query in ("", "?staff=ana", f"?client={agency.client_a.case_code}"):
        assert_no_trace(http.get(f"/trail/{query}").content.decode(), f"the trail {query}")
    assert AccessEvent.objects.filter(object_type="reflection").exists()
    for event in AccessEvent.objects.all():
        assert_no_trace(event.detail, f"trail entry #{event.seq}")
        assert "countertransference" not in event.detail


def test_the_exports_never_contain_an_entry(agency, private_entry, capsys):
    http = signed_in(agency.therapist_a)
    patient = http.get(f"/clients/{agency.client_a.pk}/fhir/patient/")
    assert patient.status_code == 200
    assert_no_trace(patient.content.decode(), "the FHIR Patient export")
    assert measures_cli.main(["export", "--client", str(agency.client_a.pk)]) == 0
    assert_no_trace(capsys.readouterr().out, "attune measures export")


def test_the_equity_source_never_reads_the_journal(agency, private_entry):
    with CaptureQueriesContext(connection) as queries:
        statistics = database_statistics()
    assert not any(Reflection._meta.db_table in query["sql"] for query in queries)
    assert_no_trace(json.dumps(statistics, default=repr), "the equity source")


def test_the_authors_own_pages_about_the_client_leave_the_entry_out(agency, private_entry):
    # The journal is not part of the client's record: the record's pages never show it.
    http = signed_in(agency.therapist_a)
    client_id = agency.client_a.pk
    for url in (
        f"/clients/{client_id}/",
        f"/clients/{client_id}/history/",
        f"/clients/{client_id}/sessions/",
        "/caseload/",
    ):
        assert_no_trace(http.get(url).content.decode(), url)


def test_sharing_shows_exactly_that_entry_to_the_supervisor_until_unshared(agency, private_entry):
    other_entry = write(agency.therapist_a, "kept-back-phrase stays private")
    http = signed_in(agency.therapist_a)
    assert "Share this entry" in http.get(f"/reflections/{private_entry.pk}/").content.decode()
    response = http.post(
        f"/reflections/{private_entry.pk}/share/", {"supervisor": agency.supervisor.pk}
    )
    assert response.status_code == 302

    supervisor = signed_in(agency.supervisor)
    shared_page = supervisor.get("/reflections/shared/").content.decode()
    assert f"/reflections/{private_entry.pk}/" in shared_page
    assert f"/reflections/{other_entry.pk}/" not in shared_page
    detail = supervisor.get(f"/reflections/{private_entry.pk}/").content.decode()
    assert ANSWER_PHRASE in detail and NOTE_PHRASE in detail and "Ana Therapist" in detail
    assert "Stop sharing" not in detail and "Edit" not in detail
    assert supervisor.get(f"/reflections/{other_entry.pk}/").status_code == 404
    for where, body in pages_of(agency, "supervisor"):
        assert "kept-back-phrase" not in body, where
    for persona in ("therapist_b", "leader"):
        for where, body in pages_of(agency, persona):
            assert_no_trace(body, where)

    assert http.post(f"/reflections/{private_entry.pk}/unshare/").status_code == 302
    assert supervisor.get(f"/reflections/{private_entry.pk}/").status_code == 404
    for where, body in pages_of(agency, "supervisor"):
        assert_no_trace(body, where)
    details = list(
        AccessEvent.objects.filter(object_ref=str(private_entry.pk), object_type="reflection")
        .order_by("id")
        .values_list("actor__username", "detail")
    )
    assert ("ana", "shared with supervisor sol") in details
    assert ("ana", "no longer shared with sol") in details
    assert ("sol", "shared entry read") in details


def test_a_shared_entry_hides_again_when_the_supervision_ends(agency, private_entry):
    from datetime import timedelta

    from django.utils import timezone

    from attune.relationships.models import SupervisionPair

    share(private_entry, agency.supervisor)
    SupervisionPair.objects.filter(supervisee=agency.therapist_a).update(
        ends_on=timezone.localdate() - timedelta(days=1)
    )
    supervisor = signed_in(agency.supervisor)
    assert supervisor.get(f"/reflections/{private_entry.pk}/").status_code == 404
    assert_no_trace(supervisor.get("/reflections/shared/").content.decode(), "the shared page")


def test_an_entry_cannot_be_shared_with_someone_who_is_not_a_current_supervisor(
    agency, private_entry
):
    from attune.care import services
    from tests.conftest import make_staff

    stranger = make_staff("sam", "supervisor")
    for person in (stranger, agency.therapist_b, agency.leader):
        with pytest.raises(services.ReflectionError):
            share(private_entry, person)
        response = signed_in(agency.therapist_a).post(
            f"/reflections/{private_entry.pk}/share/", {"supervisor": person.pk}
        )
        assert response.status_code == 302
    assert not private_entry.sharings.exists()
    assert signed_in(stranger).get(f"/reflections/{private_entry.pk}/").status_code == 404
    actor = Actor(user=agency.therapist_a)
    assert services.reflection_unshare(actor=actor, reflection=private_entry) == 0
