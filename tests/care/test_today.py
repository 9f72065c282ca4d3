"""The therapist's "Today" page: what it lists, in what order, for whom, at what cost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from attune.access.models import AccessEvent
from attune.care.models import SessionStatus
from tests.measures.checkins import (
    PHQ9_CODES,
    answer,
    answered_checkin,
    phq9_answers,
    scheduled_session,
    send_checkin,
)

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def test_it_is_the_therapists_home(client, agency):
    response = signed_in(client, agency.therapist_a).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/today/"


def test_it_lists_todays_sessions_signals_and_unanswered_checkins(client, agency):
    scheduled_session(agency.client_a)
    answered_checkin(agency.client_a, 1)  # a low session check-in: a possible rupture
    send_checkin(agency.client_a)  # sent, not answered
    body = signed_in(client, agency.therapist_a).get("/today/").content.decode()
    assert "Sessions today (1)" in body
    assert "Possible ruptures (0)" not in body
    assert "Check-ins not yet answered (1)" in body
    assert escape(agency.client_a.chosen_name) in body
    assert "Safety first" not in body


def test_safety_signals_come_first_with_the_protocol(client, agency):
    scheduled_session(agency.client_a)
    sent = send_checkin(agency.client_a, instrument_name="phq9")
    answer(sent, phq9_answers([PHQ9_CODES[0]] * 8 + [PHQ9_CODES[1]]))
    body = signed_in(client, agency.therapist_a).get("/today/").content.decode()
    assert "Safety first (1)" in body
    assert "Agency safety protocol" in body
    assert body.index("Safety first") < body.index("Sessions today")


def test_it_shows_nothing_of_another_therapists_clients(client, agency):
    scheduled_session(agency.client_b)
    answered_checkin(agency.client_b, 1)
    body = signed_in(client, agency.therapist_a).get("/today/").content.decode()
    assert agency.client_b.chosen_name not in body
    assert "Nothing needs you right now" in body


def test_sessions_on_other_days_are_left_out(client, agency):
    from attune.access.actor import Actor
    from attune.care import services

    services.session_schedule(
        actor=Actor(user=agency.therapist_a),
        client=agency.client_a,
        starts_at=timezone.now() + timedelta(days=2),
    )
    body = signed_in(client, agency.therapist_a).get("/today/").content.decode()
    assert "Sessions today (0)" in body


def test_answered_and_expired_checkins_are_not_waiting(client, agency):
    answered_checkin(agency.client_a, 9)
    expired = send_checkin(agency.client_a).checkin
    type(expired).objects.filter(pk=expired.pk).update(
        sent_at=timezone.now() - timedelta(days=10), expires_at=timezone.now() - timedelta(days=1)
    )
    body = signed_in(client, agency.therapist_a).get("/today/").content.decode()
    assert "Check-ins not yet answered (0)" in body


def test_opening_it_is_in_the_trail(client, agency):
    signed_in(client, agency.therapist_a).get("/today/")
    event = AccessEvent.objects.filter(object_type="today").latest("pk")
    assert event.actor_id == agency.therapist_a.pk
    assert "0 sessions" in event.detail


def test_did_not_come_from_today_returns_to_today(client, agency):
    session = scheduled_session(agency.client_a)
    http = signed_in(client, agency.therapist_a)
    response = http.post(f"/sessions/{session.pk}/no-show/", {"next": "/today/", "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/today/"
    session.refresh_from_db()
    assert session.status == SessionStatus.NO_SHOW
    again = http.post(
        f"/sessions/{session.pk}/no-show/", {"next": "/today/", "confirm": "yes"}, follow=True
    )
    assert "Nothing changed" in again.content.decode()


def test_next_pointing_elsewhere_is_ignored(client, agency):
    session = scheduled_session(agency.client_a)
    response = signed_in(client, agency.therapist_a).post(
        f"/sessions/{session.pk}/no-show/", {"next": "https://evil.example/", "confirm": "yes"}
    )
    assert response["Location"] == f"/clients/{agency.client_a.pk}/sessions/"


def test_acknowledging_from_today_comes_back_to_today(client, agency):
    signal = answered_checkin(agency.client_a, 1)[0].signals.first()
    response = signed_in(client, agency.therapist_a).post(
        f"/signals/{signal.pk}/acknowledge/", {"next": "/today/", "confirm": "yes"}
    )
    assert response["Location"] == "/today/"
    signal.refresh_from_db()
    assert signal.state == "acknowledged"


def test_an_htmx_action_gets_the_page_back_to_swap(client, agency):
    session = scheduled_session(agency.client_a)
    response = signed_in(client, agency.therapist_a).post(
        f"/sessions/{session.pk}/no-show/",
        {"next": "/today/", "confirm": "yes"},
        HTTP_HX_REQUEST="true",
        follow=True,
    )
    body = response.content.decode()
    assert 'id="today"' in body and 'id="messages"' in body
    assert "did not come" in body


def _queries_for_today(client, user) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/today/").status_code == 200
    return len(captured.captured_queries)


def test_its_query_count_does_not_grow_with_the_day(client, agency):
    http = signed_in(client, agency.therapist_a)
    scheduled_session(agency.client_a)
    answered_checkin(agency.client_a, 1)
    send_checkin(agency.client_a)
    _queries_for_today(http, agency.therapist_a)  # the session's first request loads more
    few = _queries_for_today(http, agency.therapist_a)
    for _ in range(6):
        scheduled_session(agency.client_a)
        answered_checkin(agency.client_a, 1)
        send_checkin(agency.client_a)
    assert _queries_for_today(http, agency.therapist_a) == few


def test_repairs_and_plans_due_are_one_click_away(client, agency):
    from tests.care.builders import make_plan
    from tests.care.repair_builders import open_log, rupture_signal

    log = open_log(agency.client_a, signal=rupture_signal(agency.client_a), follow_up_in=0)
    make_plan(agency.client_a, review_on=timezone.localdate())
    body = signed_in(client, agency.therapist_a).get("/today/").content.decode()
    assert "Repairs to follow up (1)" in body
    assert f'href="/repairs/{log.pk}/"' in body
    assert "Plans to review with the client (1)" in body
    assert f'href="/clients/{agency.client_a.pk}/plan/"' in body
    # The signal the log came from links to the log instead of opening another.
    assert "Its repair log" in body
