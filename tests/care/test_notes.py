"""Session notes: encrypted, counted by the language engine, versioned, only by the therapist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from attune.access.actor import Actor
from attune.access.models import AccessEvent, BreakGlassGrant
from attune.care import services
from attune.care.models import SessionNote
from attune.language import audit_text
from attune.language.stigma import STIGMATIZING_CATEGORIES, note_counts
from tests.care.note_builders import held_session, write_note
from tests.measures.checkins import scheduled_session

NOTE = (
    "Client claims the medication does not help and refused the referral. "
    'She said "I am an addict and that is how I see it." We agreed to talk again next week.'
)


def test_it_stores_the_text_encrypted_with_the_engines_two_counts(agency):
    note = write_note(held_session(agency.client_a), NOTE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text, word_count, stigmatizing_findings FROM care_sessionnote")
        stored, words, findings = cursor.fetchone()
    assert "medication" not in stored and "claims" not in stored
    counts = note_counts(audit_text(NOTE, profile="notes"))
    assert (words, findings) == (counts.word_count, counts.stigmatizing_findings)
    # "claims" and "refused" count; the quoted "addict" is the client's own words and does not.
    assert findings == 2 and words == len(NOTE.replace('"', "").split())
    assert SessionNote.objects.get(pk=note.pk).text == NOTE


def test_only_the_stigmatizing_categories_count():
    report = audit_text("He was instructed to return. The patient was agitated.", profile="notes")
    categories = {finding.category for finding in report.findings}
    assert "authority" in categories and "authority" not in STIGMATIZING_CATEGORIES
    assert note_counts(report).stigmatizing_findings == 1


def test_an_edit_makes_a_new_version_and_an_older_form_is_refused(agency):
    session = held_session(agency.client_a)
    actor = Actor(user=agency.therapist_a)
    first = services.note_save(actor=actor, session=session, text="First words.", version=0)
    second = services.note_save(actor=actor, session=session, text="Second words.", version=1)
    assert (first.version, second.version) == (1, 2)
    with pytest.raises(services.NoteConflict) as conflict:
        services.note_save(actor=actor, session=session, text="From a stale tab.", version=1)
    assert conflict.value.current.pk == second.pk
    current = SessionNote.objects.get(session=session, superseded_at__isnull=True)
    assert current.text == "Second words." and SessionNote.objects.count() == 2
    with pytest.raises(services.NoteConflict):  # a second "first" note from another tab
        services.note_save(actor=actor, session=session, text="Also first.", version=0)


def test_only_held_sessions_of_the_therapists_own_clients(agency):
    with pytest.raises(services.NoteError, match="held"):
        services.note_save(
            actor=Actor(user=agency.therapist_a),
            session=scheduled_session(agency.client_a),
            text="Not yet held.",
            version=0,
        )
    for user in (agency.therapist_b, agency.supervisor, agency.leader):
        with pytest.raises(services.NoteError, match="therapist"):
            services.note_save(
                actor=Actor(user=user),
                session=held_session(agency.client_a),
                text="Not my client.",
                version=0,
            )
    with pytest.raises(services.NoteError, match="empty"):
        services.note_save(
            actor=Actor(user=agency.therapist_a),
            session=held_session(agency.client_a),
            text="   ",
            version=0,
        )
    assert not SessionNote.objects.exists()


def test_every_write_and_read_is_in_the_trail(agency):
    session = held_session(agency.client_a)
    note = write_note(session, "A short note.")
    assert AccessEvent.objects.filter(object_type="session_note", object_ref=str(note.pk)).exists()
    http = HttpClient()
    http.force_login(agency.therapist_a)
    before = AccessEvent.objects.count()
    response = http.get(reverse("care:note_detail", args=[session.pk]))
    assert response.status_code == 200 and "A short note." in response.content.decode()
    assert AccessEvent.objects.filter(section="notes", action="view").count() >= 1
    assert AccessEvent.objects.count() > before


def test_the_page_checks_the_language_privately_and_saves(agency):
    session = held_session(agency.client_a)
    http = HttpClient()
    http.force_login(agency.therapist_a)
    url = reverse("care:note_write", args=[session.pk])
    response = http.post(url, {"text": NOTE, "version": 0, "action": "check"})
    page = response.content.decode()
    assert response.status_code == 200 and "declined" in page  # a suggestion for "refused"
    assert not SessionNote.objects.exists()
    response = http.post(url, {"text": NOTE, "version": 0, "action": "save"})
    assert response.status_code == 302
    assert SessionNote.objects.get().stigmatizing_findings == 2
    # A stale tab keeps what was typed and shows the saved note beside it.
    response = http.post(url, {"text": "Stale tab text.", "version": 0, "action": "save"})
    page = response.content.decode()
    assert "Nothing was saved" in page and "Stale tab text." in page and "medication" in page
    assert SessionNote.objects.count() == 1


def test_supervisors_and_leaders_never_read_a_note_even_with_break_glass(agency):
    session = held_session(agency.client_a)
    write_note(session, "Private clinical words.")
    for user in (agency.supervisor, agency.leader):
        BreakGlassGrant.objects.create(
            staff=user,
            client=agency.client_a,
            reason="test",
            expires_at=timezone.now() + timedelta(hours=1),
        )
        http = HttpClient()
        http.force_login(user)
        for name, arg in (
            ("care:note_detail", session.pk),
            ("care:note_history", session.pk),
            ("care:note_list", agency.client_a.pk),
        ):
            response = http.get(reverse(name, args=[arg]))
            assert response.status_code == 404
            assert "Private clinical words." not in response.content.decode()
