"""Who are we failing to reach?  Unreached check-in invitations and STOPs, by group."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from attune.access.models import Role
from attune.clients.models import Client, ClientLink, IdentityCategory, SelfIdentification
from attune.equity.dashboard_figures import figures_statistics, refresh_figures
from attune.equity.database import database_statistics, report_from_database
from attune.measures.models import CheckIn, MessageDelivery, StoredInstrument
from attune.measures.services import bundled_instrument_stored
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def _client(index: int, gender: str, *, texts: bool, opted_out: bool = False) -> Client:
    client = Client.objects.create(
        case_code=f"R{index:05d}",
        chosen_name=f"Client {index}",
        phone=f"(555) 555-{index:04d}" if texts else "",
        contact_consent="sms" if texts else "email",
        sms_opted_out_at=timezone.now() if opted_out else None,
    )
    identity = SelfIdentification.objects.create(client=client, version=1, answers={})
    IdentityCategory.objects.create(self_identification=identity, question="gender", code=gender)
    Client.objects.filter(pk=client.pk).update(latest_identity=identity)
    return client


def _invite(client: Client, therapist, instrument: StoredInstrument, *states: str) -> None:
    """One check-in with one invitation message per state (a channel each)."""
    now = timezone.now()
    link = ClientLink.objects.create(
        client=client,
        purpose="checkin",
        token_hash=f"{client.pk:08d}{CheckIn.objects.count():056d}",
        created_by=therapist,
        expires_at=now + timedelta(days=4),
    )
    checkin = CheckIn.objects.create(
        client=client,
        instrument=instrument,
        link=link,
        sent_by=therapist,
        sent_at=now,
        expires_at=link.expires_at,
        goal_texts={},
    )
    for channel, state in zip(("sms", "email"), states, strict=False):
        MessageDelivery.objects.create(
            checkin=checkin, channel=channel, purpose="invitation", state=state
        )


@pytest.fixture
def reach():
    """12 women: every invitation reached; 12 men: one in three of theirs reached no one."""
    therapist = make_staff("rita", Role.THERAPIST)
    instrument = bundled_instrument_stored("session-checkin")
    for index in range(12):
        woman = _client(index, "woman", texts=True, opted_out=index < 2)
        _invite(woman, therapist, instrument, "delivered")
        _invite(woman, therapist, instrument, "undelivered", "sent")  # the email went
    for index in range(12, 24):
        man = _client(index, "man", texts=True, opted_out=index < 18)
        _invite(man, therapist, instrument, "delivered")
        _invite(man, therapist, instrument, "failed")
        _invite(man, therapist, instrument, "queued")  # on its way: not unreached
    for index in range(90, 94):  # never invited, no texts: in neither denominator
        _client(index, "woman" if index % 2 else "man", texts=False)


def _rows(report, metric):
    return {row.group: row for row in report.rows if row.metric == metric}


def test_unreached_invitations_and_stops_are_counted_by_group(reach):
    report = report_from_database(attributes=("gender",), min_cell=11)
    unreached = _rows(report, "invitation_unreached_rate")
    assert unreached["woman"].n == 12 and unreached["woman"].value == 0
    assert unreached["man"].n == 12 and unreached["man"].value == pytest.approx(1 / 3)
    stops = _rows(report, "sms_opt_out_rate")
    assert stops["woman"].n == 12 and stops["woman"].value == pytest.approx(2 / 12)
    assert stops["man"].n == 12 and stops["man"].value == pytest.approx(6 / 12)


def test_small_groups_are_suppressed(reach):
    report = report_from_database(attributes=("gender",), min_cell=13)
    for metric in ("invitation_unreached_rate", "sms_opt_out_rate"):
        rows = _rows(report, metric)
        assert all(row.suppressed and row.value is None for row in rows.values())


def test_the_dashboards_stored_figures_carry_reach(reach):
    refresh = refresh_figures()
    stored = figures_statistics(refresh, attributes=("gender",))
    live = database_statistics(attributes=("gender",))
    for attribute_stored, attribute_live in zip(stored.attributes, live.attributes, strict=True):
        for name, group in attribute_live.groups.items():
            stored_group = attribute_stored.groups[name]
            for metric in ("invitation_unreached_rate", "sms_opt_out_rate"):
                assert stored_group.metrics[metric] == group.metrics[metric]


def test_the_dashboard_shows_who_invitations_failed_to_reach(reach, agency, client):
    refresh_figures()
    client.force_login(agency.leader)
    response = client.get(
        reverse("equity:dashboard"),
        {"metric": "invitation_unreached_rate", "attribute": "gender"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<caption>Check-in invitations that reached no one" in body
    assert '<th scope="row" role="rowheader">Woman</th>' in body
    # The two clients of the test agency are "not disclosed": too few to show, and "Man" is
    # hidden with them so that their count cannot be worked out from the total.
    assert "<p>Man; Not disclosed.</p>" in body
    for name in ("Client 12", "R00012"):
        assert name not in body
