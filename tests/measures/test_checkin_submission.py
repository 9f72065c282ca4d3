"""A client's answers are stored once, scored, and trailed, however often they are sent."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from attune.access.models import AccessEvent
from attune.clients.models import ClientLink
from attune.measures.models import CheckIn, Response, Signal
from tests.measures.checkins import answer, send_checkin, session_answers


def test_it_stores_and_scores_one_response(agency):
    sent = send_checkin(agency.client_a)
    responses = answer(sent, session_answers(8, comment="Felt listened to."))
    assert len(responses) == 1
    response = Response.objects.get()
    assert response.total == 8
    assert response.subscales == {"alliance": 8, "humility": 8}
    assert response.items_answered == 8 and response.items_missing == 0  # scored items
    assert response.answers["comment"] == "Felt listened to."
    assert ClientLink.objects.get(pk=sent.checkin.link_id).used_at is not None


def test_it_keeps_the_clients_words_encrypted_at_rest(agency):
    answer(send_checkin(agency.client_a), session_answers(8, comment="my own words"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM measures_response")
        (raw,) = cursor.fetchone()
    assert "my own words" not in raw


def test_it_stores_nothing_more_on_a_second_submission(agency):
    sent = send_checkin(agency.client_a)
    assert answer(sent, session_answers(8)) is not None
    assert answer(sent, session_answers(2)) is None
    assert Response.objects.count() == 1
    assert Response.objects.get().total == 8


def test_it_scores_a_skipped_question_as_missing(agency):
    answers = session_answers(6)
    del answers["heard"]
    answer(send_checkin(agency.client_a), answers)
    response = Response.objects.get()
    assert response.items_missing == 1
    assert response.total == 6


def test_it_asks_the_clients_goals_in_the_same_checkin(agency):
    sent = send_checkin(agency.client_a, goals=["Sleep through the night", "Call my sister"])
    answer(sent, session_answers(7), goal_answers={"goal-1": 4, "goal-2": 8})
    goals = Response.objects.get(instrument__name="goals-checkin")
    assert goals.total == 6
    assert CheckIn.objects.get().goal_texts == ["Sleep through the night", "Call my sister"]


def test_it_trails_the_submission_as_the_clients_link(agency):
    sent = send_checkin(agency.client_a)
    answer(sent, session_answers(9))
    entry = AccessEvent.objects.filter(object_type="measure_response").get()
    assert entry.link_ref == sent.checkin.link_id
    assert entry.client_ref == agency.client_a.pk
    assert entry.actor_id is None


@pytest.mark.django_db(transaction=True)
def test_it_stores_exactly_one_response_from_two_simultaneous_submissions(agency):
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serialises every writer)")
    sent = send_checkin(agency.client_a)
    barrier = threading.Barrier(8)
    results = []

    def submit(value: int) -> None:
        try:
            barrier.wait()
            results.append(answer(sent, session_answers(value)))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Response.objects.count() == 1
    assert sum(result is not None for result in results) == 1
    assert AccessEvent.objects.filter(object_type="measure_response").count() == 1


def test_it_reminds_once_without_the_link_and_only_by_consent(
    agency, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from attune.access.actor import Actor
    from attune.measures.services import checkin_reminders_due

    waiting = send_checkin(agency.client_a)
    answered = send_checkin(agency.client_a)
    answer(answered, session_answers(8))
    send_checkin(agency.client_b).checkin.client.__class__.objects.filter(
        pk=agency.client_b.pk
    ).update(contact_consent="none")
    later = timezone.now() + timedelta(hours=49)
    with django_capture_on_commit_callbacks(execute=True):
        assert checkin_reminders_due(actor=Actor.system(), now=later) == 1
        assert checkin_reminders_due(actor=Actor.system(), now=later) == 0
    (message,) = mail.outbox
    assert "/c/" not in message.body
    assert message.to == ["alpha@example.org"]
    waiting.checkin.refresh_from_db()
    assert waiting.checkin.reminder_sent_at == later


def submission_queries(agency, value: int) -> int:
    """Return how many SQL statements the client's POST of one check-in takes."""
    from django.test.utils import CaptureQueriesContext

    from tests.measures.test_checkin_page import filled, open_checkin

    http, _ = open_checkin(agency.client_a)
    http.get("/c/")
    with CaptureQueriesContext(connection) as queries:
        assert http.post("/c/", filled(value, **{"p1-comment": "words"})).status_code == 302
    return len(queries)


def test_a_submission_takes_the_same_few_queries_whatever_it_raises(agency):
    """The trail is written in one batch and alerts in one statement: a low check-in raises
    one alert listing its reasons, one statement more than a good one."""
    good = submission_queries(agency, 8)
    first_low = submission_queries(agency, 1)  # a low total and low humility
    later_low = submission_queries(agency, 1)  # and now a drop from the usual as well
    assert Signal.objects.count() == 2  # one alert per low check-in, whatever its reasons
    assert first_low == later_low == good + 1
    # Session, link, check-in; then claim, response, history, the expected-response fit in
    # use, the trail's entries (one INSERT, no lock: the sealer chains them later), and the
    # transaction's two ends (BEGIN/COMMIT on SQLite, a savepoint inside a test on PostgreSQL).
    # It was 20 for a good check-in and 28 for a low one before the trail was written in one
    # batch, 11 while writers locked its head, 12 once the fit was read.
    assert good == 10, good


def test_the_trail_of_a_submission_is_written_together_and_chained(agency):
    from attune.access import trail

    answer(send_checkin(agency.client_a), session_answers(1))
    trail.seal()
    entries = list(AccessEvent.objects.order_by("-id")[:2])
    assert [entry.object_type for entry in entries] == ["signal", "measure_response"]
    assert entries[0].detail == "rupture: low_session_total, low_humility_item"
    assert len({entry.at for entry in entries}) == 1
    assert entries[0].seq == entries[1].seq + 1
    assert trail.verify().ok
