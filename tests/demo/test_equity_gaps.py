"""The demo agency carries planted, realistic gaps that the equity report finds."""

from __future__ import annotations

from django.db.models import Min

from attune.care.models import SessionStatus, TherapySession
from attune.clients.models import Client, EndReason
from attune.demo.agency import generate_agency
from attune.demo.equity import seed_equity_gaps
from attune.demo.notes import seed_notes
from attune.equity.database import report_from_database
from attune.equity.suppression import MINIMUM_CELL


def test_the_demo_plants_one_gap_per_measure_and_the_report_finds_each(db):
    generate_agency()
    seed_notes()
    answered = seed_equity_gaps()
    assert answered > 300 and seed_equity_gaps() == 0  # once only
    report = report_from_database(attributes=("race_ethnicity", "gender"))
    found = {(row.metric, row.group) for row in report.rows if row.significant}
    assert ("days_to_first_session", "hispanic") in found
    assert ("dropout_rate", "black") in found
    assert ("humility_mean", "black") in found
    assert ("stigmatizing_per_1000_words", "black") in found
    assert ("alliance_mean", "black") not in found  # only feeling respected is planted
    race = [row for row in report.rows if row.attribute == "race_ethnicity"]
    assert {row.reference_group for row in race} == {"white"}  # the largest group
    for group in ("white", "black", "hispanic"):
        shown = [row for row in race if row.group == group and row.metric == "humility_mean"]
        assert shown[0].n >= MINIMUM_CELL and not shown[0].suppressed
    gender = [row for row in report.rows if row.attribute == "gender" and not row.suppressed]
    assert len({row.group for row in gender}) >= 3  # the default views have visible groups


def test_every_planted_wait_and_ending_is_consistent(db):
    generate_agency(clients=60, therapists=3)
    seed_notes()
    seed_equity_gaps()
    first = dict(
        TherapySession.objects.filter(status=SessionStatus.HELD)
        .values("client_id")
        .annotate(first=Min("starts_at"))
        .values_list("client_id", "first")
    )
    for client in Client.objects.all():
        assert client.created_at < first[client.pk]
        if client.end_reason:
            assert client.end_reason == EndReason.DROPPED_OUT
            assert client.closed_at is not None and client.closed_at > first[client.pk]
    # The clients the other demo modules use (each therapist's first) stay open.
    for therapist_id in set(Client.objects.values_list("therapist", flat=True)):
        earliest = Client.objects.filter(therapist_id=therapist_id).order_by("pk").first()
        assert earliest.closed_at is None
