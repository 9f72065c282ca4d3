"""A check-in's reminder and expiry run as background tasks (django-tasks, database backend).

Sending a check-in queues both with the check-in's id alone; the invitation, which holds the
link's token, is never queued.  The worker runs them when due; each task does its work once,
whatever happened to the check-in meanwhile, and however often it runs.
"""

from __future__ import annotations

import json
import signal
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.clients import services as client_services
from attune.clients.models import Client, ClientLink
from attune.measures import services
from attune.measures.models import CheckIn, CheckInDraft
from attune.measures.tasks import expire_checkin, remind_checkin
from tests.measures.checkins import answer, send_checkin, session_answers

pytestmark = pytest.mark.django_db

REMIND = "attune.measures.tasks.remind_checkin"
EXPIRE = "attune.measures.tasks.expire_checkin"


@pytest.fixture
def sent(agency, django_capture_on_commit_callbacks):
    """A check-in sent to client A, its tasks queued, the invitation email cleared away."""
    with django_capture_on_commit_callbacks(execute=True):
        result = send_checkin(agency.client_a, goals=["Sleep through the night"])
    assert len(mail.outbox) == 1  # the invitation, sent in process
    mail.outbox.clear()
    return result


def run_worker(django_capture_on_commit_callbacks):
    """Run the database worker until the queue has nothing due, as ``db_worker --batch``.

    The worker closes and reopens database connections between tasks, as it should, so tests
    that run it commit for real (``transaction=True``) instead of inside a test transaction.
    """
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command(
                "db_worker",
                batch=True,
                reload=False,
                startup_delay=False,
                interval=0,
                verbosity=0,
            )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def make_due(task_path: str) -> None:
    DBTaskResult.objects.filter(task_path=task_path).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


def system_entries(checkin, detail_start: str):
    return AccessEvent.objects.filter(
        actor__isnull=True,
        request_id="system",
        object_type="checkin",
        object_ref=str(checkin.pk),
        detail__startswith=detail_start,
    )


def expire_now(checkin) -> None:
    """Move the check-in five days back: sent, then expired a minute ago."""
    now = timezone.now()
    sent_at, past = now - timedelta(days=5), now - timedelta(minutes=1)
    CheckIn.objects.filter(pk=checkin.pk).update(sent_at=sent_at, expires_at=past)
    ClientLink.objects.filter(pk=checkin.link_id).update(created_at=sent_at, expires_at=past)


# The queue -------------------------------------------------------------------------------


def test_sending_queues_the_reminder_and_the_expiry_with_the_id_only(sent, settings):
    checkin = sent.checkin
    queued = {row.task_path: row for row in DBTaskResult.objects.all()}
    assert set(queued) == {REMIND, EXPIRE}
    hours = settings.ATTUNE_CHECKIN_REMINDER_HOURS
    assert queued[REMIND].run_after == checkin.sent_at + timedelta(hours=hours)
    assert queued[EXPIRE].run_after == checkin.expires_at
    for row in queued.values():
        assert row.args_kwargs == {"args": [checkin.pk], "kwargs": {}}
    # Neither the token nor the client's words are anywhere in the queue table.
    token = sent.url.rstrip("/").rsplit("/", 1)[-1]
    stored = json.dumps(list(DBTaskResult.objects.values()), default=str)
    assert token not in stored
    assert "Sleep" not in stored


def test_nothing_is_queued_for_a_checkin_that_rolled_back(
    agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            send_checkin(agency.client_a)
            raise RuntimeError("the session could not be marked held")
    assert not DBTaskResult.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)  # the worker commits as in production
def test_the_worker_sends_one_reminder_when_it_is_due(sent, django_capture_on_commit_callbacks):
    run_worker(django_capture_on_commit_callbacks)  # nothing is due yet
    assert not mail.outbox
    make_due(REMIND)
    run_worker(django_capture_on_commit_callbacks)
    (reminder,) = mail.outbox
    assert reminder.to == ["alpha@example.org"]
    assert "/c/" not in reminder.body
    assert "mensaje anterior" in reminder.body  # in the language of her pages
    assert DBTaskResult.objects.get(task_path=REMIND).status == "SUCCESSFUL"
    assert DBTaskResult.objects.get(task_path=EXPIRE).status == "READY"  # not yet due
    sent.checkin.refresh_from_db()
    assert sent.checkin.reminder_sent_at is not None
    assert system_entries(sent.checkin, "reminder by email").count() == 1


@pytest.mark.django_db(transaction=True)  # the worker commits as in production
def test_the_worker_expires_the_checkin_and_deletes_its_draft(
    sent, django_capture_on_commit_callbacks
):
    checkin = sent.checkin
    services.checkin_draft_save(
        actor=Actor(link_id=checkin.link_id),
        checkin=checkin,
        data={"p1-heard": "7"},
        page=1,
        version=0,
    )
    expire_now(checkin)
    make_due(REMIND)
    make_due(EXPIRE)
    run_worker(django_capture_on_commit_callbacks)
    assert not mail.outbox  # expired before the reminder ran: no reminder
    assert not CheckInDraft.objects.filter(checkin=checkin).exists()
    checkin.refresh_from_db()
    assert checkin.expiry_handled_at is not None and checkin.reminder_sent_at is None
    (entry,) = system_entries(checkin, "expired unanswered")
    assert entry.detail == "expired unanswered; the saved draft deleted"
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


# The reminder task, guard by guard --------------------------------------------------------


def remind(checkin, django_capture_on_commit_callbacks) -> bool:
    with django_capture_on_commit_callbacks(execute=True):
        return remind_checkin.call(checkin.pk)


def test_a_waiting_checkin_is_reminded(sent, django_capture_on_commit_callbacks):
    assert remind(sent.checkin, django_capture_on_commit_callbacks) is True
    assert len(mail.outbox) == 1


def test_an_answered_checkin_is_not_reminded(sent, django_capture_on_commit_callbacks):
    answer(sent, session_answers(8))
    assert remind(sent.checkin, django_capture_on_commit_callbacks) is False
    assert not mail.outbox


def test_an_expired_checkin_is_not_reminded(sent, django_capture_on_commit_callbacks):
    expire_now(sent.checkin)
    assert remind(sent.checkin, django_capture_on_commit_callbacks) is False
    assert not mail.outbox


def test_a_revoked_link_is_not_reminded(sent, django_capture_on_commit_callbacks):
    ClientLink.objects.filter(pk=sent.checkin.link_id).update(revoked_at=timezone.now())
    assert remind(sent.checkin, django_capture_on_commit_callbacks) is False
    assert not mail.outbox


def test_a_closed_client_is_not_reminded(agency, sent, django_capture_on_commit_callbacks):
    client_services.client_close(actor=Actor.system(), client=agency.client_a, reason="completed")
    assert remind(sent.checkin, django_capture_on_commit_callbacks) is False
    assert not mail.outbox


def test_a_client_without_consent_is_not_reminded(sent, django_capture_on_commit_callbacks):
    Client.objects.filter(pk=sent.checkin.client_id).update(contact_consent="none")
    assert remind(sent.checkin, django_capture_on_commit_callbacks) is False
    assert not mail.outbox
    assert CheckIn.objects.get(pk=sent.checkin.pk).reminder_sent_at is None


def test_a_task_run_twice_reminds_once(sent, django_capture_on_commit_callbacks):
    assert remind(sent.checkin, django_capture_on_commit_callbacks) is True
    assert remind(sent.checkin, django_capture_on_commit_callbacks) is False
    assert len(mail.outbox) == 1
    assert system_entries(sent.checkin, "reminder").count() == 1


def test_the_task_and_the_sweep_remind_once_between_them(sent, django_capture_on_commit_callbacks):
    later = timezone.now() + timedelta(hours=49)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.checkin_reminders_due(actor=Actor.system(), now=later) == 1
    assert remind(sent.checkin, django_capture_on_commit_callbacks) is False
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_checkin_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_the_sweep_skips_closed_clients_too(agency, sent, django_capture_on_commit_callbacks):
    client_services.client_close(actor=Actor.system(), client=agency.client_a, reason="completed")
    later = timezone.now() + timedelta(hours=49)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.checkin_reminders_due(actor=Actor.system(), now=later) == 0
    assert not mail.outbox


def test_a_checkin_deleted_meanwhile_is_left_alone(sent, django_capture_on_commit_callbacks):
    assert remind_checkin.call(10**9) is False
    assert expire_checkin.call(10**9) is False


# The expiry task -------------------------------------------------------------------------


def test_the_expiry_does_nothing_before_the_link_expires(sent):
    services.checkin_draft_save(
        actor=Actor(link_id=sent.checkin.link_id), checkin=sent.checkin, data={}, page=1, version=0
    )
    assert expire_checkin.call(sent.checkin.pk) is False
    assert CheckInDraft.objects.filter(checkin=sent.checkin).exists()
    assert CheckIn.objects.get(pk=sent.checkin.pk).expiry_handled_at is None


def test_the_expiry_run_twice_closes_once(sent):
    expire_now(sent.checkin)
    assert expire_checkin.call(sent.checkin.pk) is True
    assert expire_checkin.call(sent.checkin.pk) is False
    (entry,) = system_entries(sent.checkin, "expired")
    assert entry.detail == "expired unanswered"


def test_an_answered_checkin_expires_without_a_trail_entry(sent):
    answer(sent, session_answers(8))
    expire_now(sent.checkin)
    assert expire_checkin.call(sent.checkin.pk) is True
    assert not system_entries(sent.checkin, "").exists()
    assert CheckIn.objects.get(pk=sent.checkin.pk).expiry_handled_at is not None


@pytest.mark.django_db(transaction=True)
def test_eight_runs_at_once_remind_once_and_expire_once(agency):
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serialises every writer)")
    sent = send_checkin(agency.client_a)  # committed at once: the invitation goes now
    mail.outbox.clear()
    barrier = threading.Barrier(8)
    results: list[bool] = []

    def run(task) -> None:
        try:
            barrier.wait()
            results.append(task.call(sent.checkin.pk))
        finally:
            connection.close()

    def at_once(task) -> None:
        threads = [threading.Thread(target=run, args=(task,)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    at_once(remind_checkin)
    assert results.count(True) == 1 and len(mail.outbox) == 1
    results.clear()
    expire_now(sent.checkin)
    at_once(expire_checkin)
    assert results.count(True) == 1
    assert system_entries(sent.checkin, "reminder").count() == 1
    assert system_entries(sent.checkin, "expired").count() == 1
