"""The demo's repair logs: one open and due today, one that held, with real check-ins."""

from __future__ import annotations

from django.utils import timezone

from attune.care.models import RepairLog, RepairStatus
from attune.care.queries import repair_progress, repairs_due
from attune.demo.agency import generate_agency
from attune.demo.repairs import seed_repairs


def test_the_demo_has_one_repair_due_today_and_one_that_held(db):
    generate_agency(clients=6, therapists=2, supervisors=1, identities=False)
    assert seed_repairs() == 2
    assert seed_repairs() == 0  # once only
    due, held = RepairLog.objects.order_by("pk")
    assert repairs_due(therapist=due.therapist, on=timezone.localdate()) == [due]
    assert due.signal is not None and due.signal.state == "acknowledged"
    assert repair_progress(due).baseline == 8.0 and repair_progress(due).follow_ups == []
    assert held.status == RepairStatus.HELD
    progress = repair_progress(held)
    assert [row.total for row in progress.follow_ups] == [8.0, 9.0]
    assert progress.suggestion == "held"
