"""Therapy sessions: scheduling, and holding one sends the client a check-in by consent only."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.care import services
from attune.care.models import SessionStatus, TherapySession
from attune.clients.services import client_update
from attune.measures.models import CheckIn
from attune.measures.sms import LocmemSmsBackend
from tests.measures.checkins import scheduled_session

HEALTH_WORDS = ("session", "therap", "phq", "depress", "anxiety", "mental", "sesión", "terap")


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def mark_held(session, **kwargs):
    return services.session_mark_held(
        actor=Actor(user=session.therapist),
        session=session,
        base_url="http://testserver/",
        **kwargs,
    )


def test_it_schedules_a_session_through_the_page(agency):
    http = signed_in(agency.therapist_a)
    url = f"/clients/{agency.client_a.pk}/sessions/schedule/"
    assert http.post(url, {"starts_at": "2026-12-01T10:30"}).status_code == 302
    session = TherapySession.objects.get()
    assert session.status == SessionStatus.SCHEDULED and session.therapist == agency.therapist_a
    assert (
        "Tue 1 Dec 2026, 10:30"
        in http.get(f"/clients/{agency.client_a.pk}/sessions/").content.decode()
    )


def test_it_keeps_the_form_when_the_date_is_missing(agency):
    http = signed_in(agency.therapist_a)
    body = http.post(f"/clients/{agency.client_a.pk}/sessions/schedule/", {}).content.decode()
    assert "Enter the date and time of the session." in body
    assert not TherapySession.objects.exists()


def test_it_emails_the_link_in_the_clients_language_without_health_information(
    agency, django_capture_on_commit_callbacks
):
    client_a = agency.client_a
    client_a.page_language = "es"
    client_a.save(update_fields=["page_language"])
    with django_capture_on_commit_callbacks(execute=True):
        held = mark_held(scheduled_session(client_a))
    assert held.delivered_by == ("email",)
    (message,) = mail.outbox
    assert message.to == ["alpha@example.org"]
    assert "le invita a dar su opinión" in message.subject
    assert held.checkin_url in message.body
    text = (message.subject + message.body).lower()
    for word in (*HEALTH_WORDS, client_a.chosen_name.lower(), "ana"):
        assert word not in text.replace(held.checkin_url.lower(), "")
    assert CheckIn.objects.get().session == held.session


def test_it_sends_nothing_without_consent_and_shows_the_link_once(
    agency, django_capture_on_commit_callbacks
):
    client_update(actor=Actor.system(), client=agency.client_a, contact_consent="none")
    session = scheduled_session(agency.client_a)
    http = signed_in(agency.therapist_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(f"/sessions/{session.pk}/held/")
    body = response.content.decode()
    assert mail.outbox == []
    assert "so nothing was sent. Hand them this link yourself." in body
    url = re.search(r'value="(http://testserver/c/[^"]+)"', body).group(1)
    assert HttpClient().get(url.replace("http://testserver", "")).status_code == 302


def test_it_texts_a_client_who_agreed_to_text_messages_in_their_language(
    agency, settings, django_capture_on_commit_callbacks
):
    settings.ATTUNE_SMS_BACKEND = "attune.measures.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    client_update(
        actor=Actor.system(), client=agency.client_a, contact_consent="sms", phone="+15550100"
    )
    with django_capture_on_commit_callbacks(execute=True):
        held = mark_held(scheduled_session(agency.client_a))
    assert held.delivered_by == ("sms",)
    assert LocmemSmsBackend.outbox == [
        {
            "to": "+15550100",
            "body": f"Su equipo de atención le pide su parecer: {held.checkin_url}",
        }
    ]
    assert mail.outbox == []


def test_it_adds_the_goals_the_client_named(agency):
    session = scheduled_session(agency.client_a)
    http = signed_in(agency.therapist_a)
    http.post(f"/sessions/{session.pk}/held/", {"goals": "Sleep better\n\nSee friends"})
    assert CheckIn.objects.get().goal_texts == ["Sleep better", "See friends"]
    scheduled_session(agency.client_a)
    page = http.get(f"/clients/{agency.client_a.pk}/sessions/").content.decode()
    assert "Sleep better\nSee friends" in page  # offered again next time


def test_it_refuses_more_than_three_goals(agency):
    session = scheduled_session(agency.client_a)
    signed_in(agency.therapist_a).post(f"/sessions/{session.pk}/held/", {"goals": "a\nb\nc\nd"})
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert not CheckIn.objects.exists()


def test_it_cancels_with_who_cancelled_and_never_holds_a_cancelled_session(agency):
    session = scheduled_session(agency.client_a)
    http = signed_in(agency.therapist_a)
    http.post(f"/sessions/{session.pk}/cancel/", {"cancelled_by": "client"})
    session.refresh_from_db()
    assert (session.status, session.cancelled_by) == ("cancelled", "client")
    with pytest.raises(services.SessionStateError):
        mark_held(session)
    assert not CheckIn.objects.exists()


def test_it_trails_each_change_of_a_session(agency):
    session = scheduled_session(agency.client_a)
    mark_held(session)
    details = list(
        AccessEvent.objects.filter(object_type="therapy_session").values_list("detail", flat=True)
    )
    assert details[0].startswith("scheduled for") and details[1] == "marked held"


def test_it_refuses_a_naive_start_time(agency):
    with pytest.raises(ValueError):
        services.session_schedule(
            actor=Actor(user=agency.therapist_a),
            client=agency.client_a,
            starts_at=timezone.now().replace(tzinfo=None),
        )


def test_it_lists_sessions_in_a_fixed_number_of_queries(agency):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    http = signed_in(agency.therapist_a)
    http.get("/healthz")
    url = f"/clients/{agency.client_a.pk}/sessions/"
    scheduled_session(agency.client_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert http.get(url).status_code == 200
        return len(captured)

    few = count()
    for _ in range(15):
        scheduled_session(agency.client_a)
    assert count() == few
    assert few <= 12


def test_marking_held_records_whether_the_interpreter_was_there(agency):
    session = scheduled_session(agency.client_a)  # client A needs an interpreter
    http = signed_in(agency.therapist_a)
    page = http.get(f"/clients/{agency.client_a.pk}/sessions/").content.decode()
    assert "Interpreter at this session" in page
    response = http.post(f"/sessions/{session.pk}/held/", {"interpreter": "family_or_friend"})
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.interpreter == "family_or_friend"
    page = http.get(f"/clients/{agency.client_a.pk}/sessions/").content.decode()
    assert "Interpreter: a family member or friend interpreted" in page
    held = AccessEvent.objects.filter(object_type="therapy_session", detail__startswith="marked")
    assert held.get().detail == "marked held; interpreter: family_or_friend"


def test_a_tampered_interpreter_answer_changes_nothing(agency):
    session = scheduled_session(agency.client_a)
    http = signed_in(agency.therapist_a)
    response = http.post(f"/sessions/{session.pk}/held/", {"interpreter": "robot"}, follow=True)
    assert "Nothing changed: Choose one of the interpreter answers." in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED and session.interpreter == ""
    assert not CheckIn.objects.exists()
    with pytest.raises(ValueError, match="unknown interpreter use"):
        mark_held(session, interpreter="robot")


def test_the_interpreter_question_is_asked_only_when_the_client_needs_one(agency):
    http = signed_in(agency.therapist_b)
    scheduled_session(agency.client_b)
    page = http.get(f"/clients/{agency.client_b.pk}/sessions/").content.decode()
    assert "Interpreter at this session" not in page
