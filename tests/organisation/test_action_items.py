"""Action items: from unmet items or equity findings, on a board, with progress and reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from attune.access.actor import Actor
from attune.community.models import Partner
from attune.organisation import services
from attune.organisation.models import (
    ActionItem,
    ActionOrigin,
    ActionStatus,
    Assessment,
    ItemDocument,
    TrainingRecord,
)

from .builders import make_action, make_assessment

NOW = datetime(2026, 5, 10, 8, 0, tzinfo=UTC)


def test_it_creates_an_action_item_from_an_unmet_item(agency, client):
    item = make_assessment(agency.leader).items.get(key="sliding-scale")
    services.assessment_item_answer(
        actor=Actor(user=agency.leader),
        item=item,
        status="not_met",
        notes="",
        evidence_links="",
        assessed_on=None,
    )
    client.force_login(agency.leader)
    form = client.get(reverse("organisation:action_new") + f"?item={item.pk}").content.decode()
    assert "Fees follow a sliding scale." in form
    response = client.post(
        reverse("organisation:action_new") + f"?item={item.pk}",
        {
            "title": "Publish the sliding scale",
            "owner": agency.therapist_a.pk,
            "due_on": "2026-06-01",
            "origin_kind": "other",
            "origin": "",
        },
    )
    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert action.assessment_item == item
    assert action.origin_kind == ActionOrigin.ASSESSMENT
    assert action.origin == item.prompt


def test_it_creates_an_action_item_from_an_equity_finding(agency, client):
    finding = "Clients who prefer Spanish waited 9 days longer for a first session."
    client.force_login(agency.leader)
    page = client.get(reverse("organisation:action_new"), {"finding": finding}).content.decode()
    assert "9 days longer" in page
    client.post(
        reverse("organisation:action_new"),
        {
            "title": "Hire a Spanish-speaking intake worker",
            "owner": agency.leader.pk,
            "origin_kind": "equity",
            "origin": finding,
        },
    )
    action = ActionItem.objects.get()
    assert (action.origin_kind, action.origin) == (ActionOrigin.EQUITY, finding)


def test_it_shows_a_therapist_only_their_own_actions(agency, client):
    make_action(agency.leader, agency.therapist_a, title="Ana's action")
    make_action(agency.leader, agency.therapist_b, title="Ben's action")
    client.force_login(agency.therapist_a)
    page = client.get(reverse("organisation:action_board")).content.decode()
    assert "Ana&#x27;s action" in page
    assert "Ben&#x27;s action" not in page
    client.force_login(agency.leader)
    page = client.get(reverse("organisation:action_board")).content.decode()
    assert "Ana&#x27;s action" in page and "Ben&#x27;s action" in page


def test_it_lets_the_owner_record_progress(agency, client):
    action = make_action(agency.leader, agency.therapist_a)
    client.force_login(agency.therapist_a)
    response = client.post(
        reverse("organisation:action_detail", args=[action.pk]),
        {"status": "in_progress", "note": "Drafted a new intake form with the peer group."},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert action.notes.get().author == agency.therapist_a


def test_it_refuses_progress_from_someone_who_does_not_own_the_action(agency, client):
    action = make_action(agency.leader, agency.therapist_a)
    client.force_login(agency.therapist_b)
    response = client.post(
        reverse("organisation:action_detail", args=[action.pk]),
        {"status": "done", "note": "not mine"},
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_it_reminds_owners_once_a_day_about_items_due_soon(agency):
    agency.therapist_a.email = "ana@example.org"
    agency.therapist_a.save()
    today = NOW.date()
    make_action(agency.leader, agency.therapist_a, title="Due soon", due_on=today + timedelta(3))
    make_action(agency.leader, agency.therapist_a, title="Overdue", due_on=today - timedelta(2))
    make_action(agency.leader, agency.therapist_a, title="Later", due_on=today + timedelta(30))
    done = make_action(agency.leader, agency.therapist_a, title="Done", due_on=today)
    services.action_item_progress(
        actor=Actor(user=agency.leader), action=done, status="done", note="finished"
    )
    sent = services.action_item_reminders_send(now=NOW)
    assert (sent.reminded, sent.owners) == (2, 1)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Due soon" in body and "Overdue" in body and "overdue" in body
    assert "Later" not in body and "Done" not in body
    again = services.action_item_reminders_send(now=NOW + timedelta(hours=3))
    assert again.reminded == 0
    assert services.action_item_reminders_send(now=NOW + timedelta(days=1)).reminded == 2


def test_it_sends_reminders_from_the_command(agency, capsys):
    make_action(agency.leader, agency.therapist_b, due_on=date.today())
    call_command("send_action_reminders")
    assert "reminded 1 owners about 1 action items" in capsys.readouterr().out


def test_it_seeds_a_demo_system_of_care_once(agency):
    call_command("seed_system_of_care")
    assert Assessment.objects.get().completed_on is not None
    assert ItemDocument.objects.get().finding_count >= 3
    assert ActionItem.objects.count() == 2
    assert Partner.objects.count() == 4
    assert TrainingRecord.objects.count() == 2
    with pytest.raises(CommandError, match="already has"):
        call_command("seed_system_of_care")
