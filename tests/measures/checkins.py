"""Builders for check-in tests: send a check-in and answer it through the real services."""

from __future__ import annotations

from attune.access.actor import Actor
from attune.care import services as care_services
from attune.measures import services
from attune.measures.bundled import load_bundled_instrument, session_checkin_ratings

BASE_URL = "http://testserver/"
RATINGS = session_checkin_ratings()


def send_checkin(client, *, instrument_name: str = "session-checkin", goals=()):
    """Send ``client`` a check-in as their therapist and return the SentCheckIn."""
    instrument = services.bundled_instrument_stored(instrument_name)
    return services.checkin_send(
        actor=Actor(user=client.therapist),
        client=client,
        instrument=instrument,
        goal_texts=goals,
        base_url=BASE_URL,
    )


def session_answers(value: int, **overrides) -> dict:
    """Return session check-in answers with every rating ``value``."""
    return {**{link_id: value for link_id in RATINGS}, **overrides}


def answer(sent, answers: dict, goal_answers: dict | None = None):
    """Submit ``answers`` to a sent check-in as the client; return the stored responses."""
    checkin = sent.checkin
    by_key = {checkin.instrument.key: answers}
    if goal_answers is not None:
        by_key[services.bundled_instrument_stored("goals-checkin").key] = goal_answers
    return services.checkin_submit(
        actor=Actor(link_id=checkin.link_id), checkin=checkin, answers=by_key
    )


def answered_checkin(client, value: int, **overrides):
    """Send and answer one session check-in; return its responses."""
    return answer(send_checkin(client), session_answers(value, **overrides))


def phq9_answers(item_value_codes: list[str]) -> dict:
    """Return PHQ-9 answers from nine option codes."""
    return {f"phq9-{n}": code for n, code in enumerate(item_value_codes, start=1)}


PHQ9_CODES = [option.code for option in load_bundled_instrument("phq9").item("phq9-1").options]


def scheduled_session(client):
    """Schedule a session of ``client`` now and return it (not yet held)."""
    from django.utils import timezone

    return care_services.session_schedule(
        actor=Actor(user=client.therapist), client=client, starts_at=timezone.now()
    )
