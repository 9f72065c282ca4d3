"""'Did not come' feeds the no-show figures: it is confirmed first, and refused before the start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from attune.access.actor import Actor
from attune.care import services
from attune.care.models import SessionStatus


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _session(agency, *, hours: float):
    return services.session_schedule(
        actor=Actor(user=agency.therapist_a),
        client=agency.client_a,
        starts_at=timezone.now() + timedelta(hours=hours),
    )


def test_the_service_refuses_a_session_that_has_not_started(agency):
    session = _session(agency, hours=2)
    with pytest.raises(services.SessionStateError, match="once it has started"):
        services.session_mark_no_show(actor=Actor(user=agency.therapist_a), session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_asking_shows_a_confirmation_and_changes_nothing(agency):
    session = _session(agency, hours=-1)
    http = signed_in(agency.therapist_a)
    for response in (
        http.get(f"/sessions/{session.pk}/no-show/"),
        http.post(f"/sessions/{session.pk}/no-show/", {"next": "/today/"}),
    ):
        body = response.content.decode()
        assert response.status_code == 200
        assert "counts in the agency's no-show figures" in body
        assert 'name="confirm" value="yes"' in body
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_the_confirmation_keeps_where_to_return_and_only_if_it_is_ours(agency):
    session = _session(agency, hours=-1)
    http = signed_in(agency.therapist_a)
    body = http.get(f"/sessions/{session.pk}/no-show/?next=/today/").content.decode()
    assert 'name="next" value="/today/"' in body
    body = http.get(f"/sessions/{session.pk}/no-show/?next=https://evil.example/").content.decode()
    assert "evil.example" not in body


def test_confirming_records_it(agency):
    session = _session(agency, hours=-1)
    response = signed_in(agency.therapist_a).post(
        f"/sessions/{session.pk}/no-show/", {"confirm": "yes"}, follow=True
    )
    assert "did not come" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.NO_SHOW


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_future_session_is_refused_with_a_clear_message(agency, method):
    session = _session(agency, hours=3)
    http = signed_in(agency.therapist_a)
    response = getattr(http, method)(
        f"/sessions/{session.pk}/no-show/", {"confirm": "yes"}, follow=True
    )
    body = response.content.decode()
    assert "Nothing changed: this session starts on" in body
    assert "once it has started" in body
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_the_session_list_offers_it_only_once_the_session_has_started(agency):
    past, future = _session(agency, hours=-1), _session(agency, hours=5)
    body = signed_in(agency.therapist_a).get(f"/clients/{agency.client_a.pk}/sessions/")
    body = body.content.decode()
    assert f"/sessions/{past.pk}/no-show/" in body
    assert f"/sessions/{future.pk}/no-show/" not in body
    assert "once the session has started" in body


def test_today_asks_before_recording_and_hides_it_for_later_sessions(agency):
    started = _session(agency, hours=-0.01)
    body = signed_in(agency.therapist_a).get("/today/").content.decode()
    assert '<details class="confirm-step">' in body
    assert f'hx-post="/sessions/{started.pk}/no-show/"' in body
    assert 'name="confirm" value="yes"' in body


def test_today_does_not_offer_it_for_a_session_later_today(agency):
    later = timezone.localtime() + timedelta(minutes=2)
    if later.date() != timezone.localdate():
        pytest.skip("too close to midnight for a session later today")
    session = services.session_schedule(
        actor=Actor(user=agency.therapist_a), client=agency.client_a, starts_at=later
    )
    body = signed_in(agency.therapist_a).get("/today/").content.decode()
    assert f"/sessions/{session.pk}/no-show/" not in body


def test_the_confirmation_page_is_in_the_trail(agency):
    from attune.access.models import AccessEvent

    session = _session(agency, hours=-1)
    signed_in(agency.therapist_a).get(f"/sessions/{session.pk}/no-show/")
    event = AccessEvent.objects.filter(object_type="therapy_session").latest("id")
    assert event.actor_id == agency.therapist_a.pk
    assert event.client_ref == agency.client_a.pk
    assert event.detail == "asked to confirm a missed session"
