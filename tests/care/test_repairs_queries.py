"""The two reads other pages build on: repairs due for a therapist, and repairs for supervision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.care import services
from attune.care.models import RepairLog
from attune.care.queries import repairs_due, repairs_for_supervision
from attune.clients import services as client_services
from tests.care.repair_builders import open_log, rupture_signal, therapist_of

pytestmark = pytest.mark.django_db


def another_client(agency, name: str):
    return client_services.client_create(
        actor=Actor.system(), therapist=agency.therapist_a, chosen_name=name
    )


def test_repairs_due_lists_open_logs_due_on_or_before_the_day(agency):
    today = timezone.localdate()
    due_today = open_log(agency.client_a, follow_up_in=0)
    due_later = open_log(another_client(agency, "Later Person"), follow_up_in=3)
    closed = open_log(another_client(agency, "Closed Person"), follow_up_in=0)
    services.repair_close(
        actor=therapist_of(agency.client_a), log=closed, outcome="held", closed_on=today
    )
    open_log(agency.client_b, follow_up_in=0)  # another therapist's client
    assert repairs_due(therapist=agency.therapist_a, on=today) == [due_today]
    found = repairs_due(therapist=agency.therapist_a, on=today + timedelta(days=3))
    assert found == [due_today, due_later]
    assert found[0].follow_up_on == today
    assert reverse("care:repair_detail", kwargs={"repair_id": found[0].pk})


def test_repairs_due_runs_one_query_whatever_the_number(agency, django_assert_num_queries):
    today = timezone.localdate()
    for index in range(4):
        open_log(another_client(agency, f"Person {index}"), follow_up_in=0)
    with django_assert_num_queries(1):
        logs = repairs_due(therapist=agency.therapist_a, on=today)
        names = [log.client.chosen_name for log in logs]
    assert len(names) == 4


def test_repairs_for_supervision_lists_the_period_with_outcome_and_signal(agency):
    today = timezone.localdate()
    signal = rupture_signal(agency.client_a)
    from_signal = open_log(agency.client_a, signal=signal)
    by_hand = open_log(another_client(agency, "Hand Person"))
    services.repair_close(
        actor=therapist_of(agency.client_a), log=by_hand, outcome="not_held", closed_on=today
    )
    old = open_log(another_client(agency, "Old Person"))
    RepairLog.objects.filter(pk=old.pk).update(opened_at=timezone.now() - timedelta(days=60))
    open_log(agency.client_b)  # not the supervisee's
    actor = Actor(user=agency.supervisor)
    logs = repairs_for_supervision(
        actor=actor,
        supervisee=agency.therapist_a,
        since=today - timedelta(days=14),
        until=today,
    )
    assert logs == [from_signal, by_hand]
    assert logs[0].signal == signal and logs[0].status == "open" and logs[0].held is None
    assert logs[1].held is False and logs[1].closed_at is not None
    assert logs[0].client.case_code == agency.client_a.case_code
    event = AccessEvent.objects.filter(object_type="repair_logs").latest("id")
    assert event.actor_id == agency.supervisor.pk and event.section == "supervision"
    assert event.object_ref == str(agency.therapist_a.pk)


def test_a_log_closed_in_the_period_counts_though_opened_before(agency):
    today = timezone.localdate()
    log = open_log(agency.client_a)
    RepairLog.objects.filter(pk=log.pk).update(opened_at=timezone.now() - timedelta(days=40))
    log.refresh_from_db()
    services.repair_close(
        actor=therapist_of(agency.client_a), log=log, outcome="held", closed_on=today
    )
    found = repairs_for_supervision(
        actor=Actor(user=agency.supervisor),
        supervisee=agency.therapist_a,
        since=today - timedelta(days=7),
        until=today,
    )
    assert [entry.held for entry in found] == [True]


@pytest.mark.parametrize("persona", ["therapist_b", "leader"])
def test_only_a_supervisor_of_the_supervisee_or_the_supervisee_may_ask(agency, persona):
    today = timezone.localdate()
    # The supervisee reads their own, for the agenda of their own meeting.
    repairs_for_supervision(
        actor=Actor(user=agency.therapist_a),
        supervisee=agency.therapist_a,
        since=today,
        until=today,
    )
    with pytest.raises(Http404):
        repairs_for_supervision(
            actor=Actor(user=getattr(agency, persona)),
            supervisee=agency.therapist_a,
            since=today,
            until=today,
        )
    with pytest.raises(Http404):
        repairs_for_supervision(
            actor=Actor(user=agency.supervisor),
            supervisee=agency.therapist_b,
            since=today,
            until=today,
        )
