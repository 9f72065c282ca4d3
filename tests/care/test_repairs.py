"""Repair-log services: open from a signal or by hand, edit with a version check, close once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.care import services
from attune.care.models import RepairLog, RepairStatus
from attune.clients import services as client_services
from attune.measures.models import SignalState
from tests.care.repair_builders import open_log, rupture_signal, therapist_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_opening_from_a_signal_acknowledges_it_and_keeps_the_words_encrypted(agency):
    signal = rupture_signal(agency.client_a)
    log = open_log(
        agency.client_a,
        signal=signal,
        apology="I am sorry I did not ask first.",
        commitment="Ask before assuming what a holiday means.",
    )
    signal.refresh_from_db()
    assert signal.state == SignalState.ACKNOWLEDGED
    assert signal.acknowledged_by == agency.therapist_a
    assert log.rupture_at == signal.response.submitted_at
    assert log.therapist == agency.therapist_a and log.status == RepairStatus.OPEN
    with connection.cursor() as cursor:
        cursor.execute("SELECT what_happened, apology FROM care_repairlog WHERE id = %s", [log.pk])
        stored = " ".join(cursor.fetchone())
    assert "holiday" not in stored and "sorry" not in stored
    assert RepairLog.objects.get(pk=log.pk).apology == "I am sorry I did not ask first."
    actions = list(
        AccessEvent.objects.filter(object_type__in=["repair_log", "signal"])
        .order_by("id")
        .values_list("object_type", "action")
    )
    assert ("repair_log", "create") in actions and ("signal", "update") in actions


def test_an_already_acknowledged_signal_stays_as_it_is(agency):
    from attune.measures import services as measures_services

    signal = rupture_signal(agency.client_a)
    measures_services.signal_acknowledge(actor=therapist_of(agency.client_a), signal=signal)
    open_log(agency.client_a, signal=signal)
    signal.refresh_from_db()
    assert signal.state == SignalState.ACKNOWLEDGED


def test_one_log_per_signal(agency):
    signal = rupture_signal(agency.client_a)
    first = open_log(agency.client_a, signal=signal)
    with pytest.raises(services.RepairExists) as raised:
        open_log(agency.client_a, signal=signal)
    assert raised.value.log == first
    assert RepairLog.objects.count() == 1


def test_a_log_by_hand_starts_its_baseline_at_the_day_given(agency):
    log = services.repair_open(
        actor=therapist_of(agency.client_a),
        client=agency.client_a,
        what_happened="I cut them off when they spoke about their family.",
        follow_up_on=TODAY() + timedelta(days=3),
        occurred_on=TODAY() - timedelta(days=2),
    )
    assert timezone.localtime(log.rupture_at).date() == TODAY() - timedelta(days=2)
    assert log.signal is None


@pytest.mark.parametrize("reason", ["completed", "transferred"])
def test_no_log_for_a_client_whose_episode_is_closed(agency, reason):
    client_services.client_close(actor=Actor.system(), client=agency.client_a, reason=reason)
    with pytest.raises(services.ClientNotOnCaseload, match="episode of care is closed"):
        open_log(agency.client_a)
    assert not RepairLog.objects.exists()


def test_no_log_for_a_client_moved_to_another_therapist(agency):
    client = agency.client_a
    with pytest.raises(services.ClientNotOnCaseload, match="no longer on your caseload"):
        services.repair_open(
            actor=Actor(user=agency.therapist_b),
            client=client,
            what_happened="Something",
            follow_up_on=TODAY(),
        )
    assert not RepairLog.objects.exists()


def test_a_follow_up_date_in_the_past_is_refused(agency):
    with pytest.raises(services.RepairError, match="in the past"):
        open_log(agency.client_a, follow_up_in=-1)
    assert not RepairLog.objects.exists()


def test_a_signal_of_another_client_is_refused(agency):
    signal = rupture_signal(agency.client_b)
    with pytest.raises(services.RepairError):
        open_log(agency.client_a, signal=signal)
    signal.refresh_from_db()
    assert signal.state == SignalState.OPEN


def test_an_edit_on_an_old_version_is_refused_and_changes_nothing(agency):
    log = open_log(agency.client_a, commitment="First words")
    actor = therapist_of(agency.client_a)
    saved = services.repair_update(
        actor=actor,
        log=log,
        version=1,
        follow_up_on=log.follow_up_on,
        what_happened=log.what_happened,
        commitment="Second tab's words",
    )
    assert saved.version == 2
    with pytest.raises(services.RepairConflict) as raised:
        services.repair_update(
            actor=actor,
            log=log,
            version=1,
            follow_up_on=log.follow_up_on,
            what_happened=log.what_happened,
            commitment="First tab's words",
        )
    assert raised.value.current.commitment == "Second tab's words"
    log.refresh_from_db()
    assert (log.commitment, log.version) == ("Second tab's words", 2)


def test_a_follow_up_date_already_past_may_stay_but_not_be_moved_into_the_past(agency):
    log = open_log(agency.client_a)
    RepairLog.objects.filter(pk=log.pk).update(follow_up_on=TODAY() - timedelta(days=3))
    log.refresh_from_db()
    actor = therapist_of(agency.client_a)
    kept = services.repair_update(
        actor=actor,
        log=log,
        version=1,
        follow_up_on=log.follow_up_on,
        what_happened="Reworded",
    )
    assert kept.what_happened == "Reworded"
    with pytest.raises(services.RepairError, match="in the past"):
        services.repair_update(
            actor=actor, log=log, version=2, follow_up_on=TODAY() - timedelta(days=1)
        )


def test_closing_records_the_decision_once(agency):
    log = open_log(agency.client_a)
    actor = therapist_of(agency.client_a)
    closed = services.repair_close(
        actor=actor, log=log, outcome="held", closed_on=TODAY(), note="We talked it through."
    )
    assert closed.status == RepairStatus.HELD and closed.held is True
    assert closed.closed_by == agency.therapist_a and closed.closed_on == TODAY()
    with pytest.raises(services.RepairStateError, match="already closed"):
        services.repair_close(actor=actor, log=log, outcome="not_held", closed_on=TODAY())
    log.refresh_from_db()
    assert log.status == RepairStatus.HELD and log.close_note == "We talked it through."
    with pytest.raises(services.RepairStateError):
        services.repair_update(actor=actor, log=log, version=log.version, follow_up_on=TODAY())


@pytest.mark.parametrize(
    ("outcome", "closed_on", "message"),
    [
        ("open", 0, "choose whether"),
        ("held", 1, "in the future"),
        ("held", -5, "before the log was opened"),
    ],
)
def test_closing_refuses_bad_input(agency, outcome, closed_on, message):
    log = open_log(agency.client_a)
    with pytest.raises(services.RepairError, match=message):
        services.repair_close(
            actor=therapist_of(agency.client_a),
            log=log,
            outcome=outcome,
            closed_on=TODAY() + timedelta(days=closed_on),
        )
    log.refresh_from_db()
    assert log.is_open


def test_a_log_can_be_closed_after_the_episode_ends(agency):
    log = open_log(agency.client_a)
    client_services.client_close(actor=Actor.system(), client=agency.client_a, reason="dropped_out")
    closed = services.repair_close(
        actor=therapist_of(agency.client_a), log=log, outcome="client_ended", closed_on=TODAY()
    )
    assert closed.status == RepairStatus.CLIENT_ENDED and closed.held is None


def _at_once(count: int, work) -> list:
    """Run ``work(n)`` in ``count`` threads released together; return results or errors."""
    import threading

    barrier = threading.Barrier(count)
    results = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            results.append(work(n))
        except services.RepairError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_simultaneous_edits_and_opens_store_one_each(agency):
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serialises every writer)")
    signal = rupture_signal(agency.client_a)
    opened = _at_once(4, lambda n: open_log(agency.client_a, signal=signal))
    assert RepairLog.objects.count() == 1
    assert sum(isinstance(result, services.RepairExists) for result in opened) == 3
    log = RepairLog.objects.get()
    saved = _at_once(
        4,
        lambda n: services.repair_update(
            actor=therapist_of(agency.client_a),
            log=log,
            version=1,
            follow_up_on=log.follow_up_on,
            commitment=f"tab {n}",
        ),
    )
    assert sum(isinstance(result, services.RepairConflict) for result in saved) == 3
    log.refresh_from_db()
    assert log.version == 2 and log.commitment.startswith("tab ")
