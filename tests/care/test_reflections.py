"""The reflection journal for its author: write after a session, search, edit, delete."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.utils import timezone

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.care import queries, services
from attune.care.models import Reflection, ReflectionTag, ReflectionTagging
from tests.care.reflection_builders import write
from tests.measures.checkins import scheduled_session

PHRASE = "quokka-lantern-unique-phrase"


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def held_session(client):
    session = scheduled_session(client)
    services.session_mark_held(
        actor=Actor(user=client.therapist), session=session, base_url="http://testserver/"
    )
    session.refresh_from_db()
    return session


def test_the_four_tag_codes_are_stable():
    assert ReflectionTag.values == ["assumption", "countertransference", "systemic", "power"]


def test_it_writes_a_reflection_after_a_session_from_the_sessions_page(agency):
    session = held_session(agency.client_a)
    http = signed_in(agency.therapist_a)
    listing = http.get(f"/clients/{agency.client_a.pk}/sessions/").content.decode()
    assert f"/reflections/new/?session={session.pk}" in listing
    page = http.get(f"/reflections/new/?session={session.pk}").content.decode()
    assert "Where was power in the room" in page
    response = http.post(
        "/reflections/new/",
        {
            "session": session.pk,
            "client": agency.client_a.pk,
            "answer_my_identities": "My own schooling made me read her silence as agreement.",
            "answer_power": f"I set the agenda without asking. {PHRASE}",
            "text": "Ask next time what respect looks like for her.",
            "tags": ["assumption", "power"],
        },
    )
    reflection = Reflection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reflections/{reflection.pk}/"
    assert reflection.author == agency.therapist_a
    assert (reflection.client, reflection.session) == (agency.client_a, session)
    assert reflection.tags == ["assumption", "power"]
    assert reflection.answers["power"].endswith(PHRASE)
    body = http.get(response["Location"]).content.decode()
    assert PHRASE in body and "Assumption noticed" in body and "Private: only you" in body


def test_it_stores_the_words_encrypted(agency):
    reflection = write(agency.therapist_a, f"note {PHRASE}", answers={"power": PHRASE})
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT answers, text FROM {Reflection._meta.db_table} WHERE id = %s",  # noqa: S608
            [reflection.pk],
        )
        stored = " ".join(cursor.fetchone())
    assert PHRASE not in stored and stored.startswith("gAAAA")


def test_it_keeps_what_was_typed_when_nothing_is_answered(agency):
    http = signed_in(agency.therapist_a)
    response = http.post("/reflections/new/", {"tags": ["power"], "client": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Answer at least one question or write a note." in body
    assert 'value="power" id="id_tags_3" checked' in body
    assert not Reflection.objects.exists()


def test_it_refuses_a_client_of_another_caseload(agency):
    http = signed_in(agency.therapist_a)
    response = http.post("/reflections/new/", {"text": "x", "client": agency.client_b.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Reflection.objects.exists()
    with pytest.raises(services.ReflectionError):
        write(agency.therapist_a, "x", client=agency.client_b)
    foreign = scheduled_session(agency.client_b)
    assert http.get(f"/reflections/new/?session={foreign.pk}").status_code == 404
    assert http.post("/reflections/new/", {"text": "x", "session": foreign.pk}).status_code == 404
    assert not Reflection.objects.exists()


def test_only_therapists_keep_a_journal(agency):
    for person in (agency.supervisor, agency.leader):
        with pytest.raises(services.ReflectionError):
            write(person, "a thought")


def test_it_searches_only_the_authors_entries_by_words_tag_client_and_date(agency):
    old = write(agency.therapist_a, "Noticed my hurry about fees", tags=["systemic"])
    Reflection.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    about_client = write(
        agency.therapist_a,
        "Her family's view of help",
        client=agency.client_a,
        tags=["assumption"],
        answers={"assumed_and_learned": "I assumed the family was in the way"},
    )
    write(agency.therapist_b, "Noticed my hurry too")
    actor = Actor(user=agency.therapist_a)

    def found(**filters):
        return [entry.pk for entry in queries.my_reflections(actor=actor, **filters)]

    assert found() == [about_client.pk, old.pk]
    assert found(words="HURRY") == [old.pk]
    assert found(words="family in the way") == [about_client.pk]  # answers are searched too
    assert found(words="family fees") == []  # every word must be there
    assert found(tag="systemic") == [old.pk]
    assert found(client_id=agency.client_a.pk) == [about_client.pk]
    assert found(since=timezone.localdate() - timedelta(days=7)) == [about_client.pk]
    assert found(until=timezone.localdate() - timedelta(days=7)) == [old.pk]
    body = signed_in(agency.therapist_a).get("/reflections/?words=hurry").content.decode()
    assert "Entries found: 1" in body and f"/reflections/{old.pk}/" in body


def test_an_edit_from_a_stale_tab_saves_nothing_and_keeps_the_typing(agency):
    reflection = write(agency.therapist_a, "First thought")
    http = signed_in(agency.therapist_a)
    url = f"/reflections/{reflection.pk}/edit/"
    assert 'name="version" value="1"' in http.get(url).content.decode()
    first = http.post(url, {"text": "Second thought", "version": 1, "tags": ["power"]})
    assert first.status_code == 302
    stale = http.post(url, {"text": "Typed in the other tab", "version": 1})
    body = stale.content.decode()
    assert stale.status_code == 409
    assert "changed in another tab or window" in body and "Typed in the other tab" in body
    reflection.refresh_from_db()
    assert (reflection.text, reflection.version, reflection.tags) == (
        "Second thought",
        2,
        ["power"],
    )


def test_the_version_check_holds_in_the_service(agency):
    reflection = write(agency.therapist_a, "First")
    actor = Actor(user=agency.therapist_a)
    services.reflection_edit(actor=actor, reflection=reflection, version=1, answers={}, text="B")
    with pytest.raises(services.ReflectionEditConflict):
        services.reflection_edit(
            actor=actor, reflection=reflection, version=1, answers={}, text="C"
        )
    assert Reflection.objects.get().text == "B"


def test_the_author_deletes_an_entry_and_the_trail_keeps_no_words(agency):
    reflection = write(agency.therapist_a, PHRASE, client=agency.client_a, tags=["power"])
    http = signed_in(agency.therapist_a)
    assert "Delete for good" in http.get(f"/reflections/{reflection.pk}/delete/").content.decode()
    assert http.post(f"/reflections/{reflection.pk}/delete/").status_code == 302
    assert not Reflection.objects.exists() and not ReflectionTagging.objects.exists()
    deleted = AccessEvent.objects.get(object_type="reflection", detail__contains="deleted")
    assert deleted.actor == agency.therapist_a and deleted.object_ref == str(reflection.pk)
    assert http.get(f"/reflections/{reflection.pk}/").status_code == 404
    for event in AccessEvent.objects.all():
        assert PHRASE not in event.detail and "power" not in event.detail


def test_no_one_else_edits_shares_or_deletes_an_entry(agency):
    reflection = write(agency.therapist_a, PHRASE)
    for person in (agency.therapist_b, agency.supervisor, agency.leader):
        http = signed_in(person)
        for action in ("edit", "delete", "share", "unshare"):
            assert http.post(f"/reflections/{reflection.pk}/{action}/").status_code == 404
        with pytest.raises(services.ReflectionError):
            services.reflection_delete(actor=Actor(user=person), reflection=reflection)
    assert Reflection.objects.get().text == PHRASE


def test_the_journal_and_the_shared_page_run_a_fixed_number_of_queries(agency):
    from django.test.utils import CaptureQueriesContext

    from tests.care.reflection_builders import share

    def counted(user, url: str) -> int:
        http = signed_in(user)
        with CaptureQueriesContext(connection) as captured:
            assert http.get(url).status_code == 200
        return len(captured)

    def add_entries(n: int) -> None:
        for index in range(n):
            entry = write(
                agency.therapist_a,
                f"entry {index}",
                client=agency.client_a,
                session=held_session(agency.client_a) if index % 2 else None,
                tags=["power", "systemic"],
            )
            share(entry, agency.supervisor)

    add_entries(2)
    journal, shared = (
        counted(agency.therapist_a, "/reflections/"),
        counted(agency.supervisor, "/reflections/shared/"),
    )
    add_entries(4)
    assert counted(agency.therapist_a, "/reflections/") == journal
    assert counted(agency.supervisor, "/reflections/shared/") == shared
