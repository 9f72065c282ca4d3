"""The data migration that groups the old one-signal-per-rule rows into one alert per check-in."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from attune.care.models import RepairLog
from attune.measures.models import Signal
from tests.care.repair_builders import open_log
from tests.measures.checkins import answered_checkin

BEFORE = [("measures", "0004_instrument_review_terminology_could_not_score")]
AFTER = [("measures", "0005_one_alert_per_checkin")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_schema_afterwards():
    """Put every app back on its latest migration, so later tests find every table."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_afterwards")
def test_old_signals_of_one_check_in_become_one_alert_and_keep_their_repair_log(agency):
    for _ in range(3):
        answered_checkin(agency.client_a, 9)
    (low,) = answered_checkin(agency.client_a, 2)
    alert = low.signals.get()
    log = open_log(agency.client_a, signal=alert)
    old = _migrate(BEFORE).get_model("measures", "Signal")
    # As the old code stored it: one row per rule, the repair log on the second one.
    old.objects.filter(pk=alert.pk).update(
        rule="low_session_total",
        summary="The session check-in was 2 out of 10, below 6.",
        facts={"total": 2.0, "threshold": 6.0},
        state="resolved",
        closed_at=timezone.now(),
    )
    now = timezone.now()
    drop = old.objects.create(
        client_id=agency.client_a.pk,
        response_id=low.pk,
        kind="rupture",
        rule="drop_from_baseline",
        summary="The session check-in fell 7 points below this client's usual 9.",
        facts={"total": 2.0, "baseline": 9.0, "drop": 7.0, "threshold": 2.0},
        state="acknowledged",
        raised_at=now,
        acknowledged_at=now,
        acknowledged_by_id=agency.therapist_a.pk,
    )
    humility = old.objects.create(
        client_id=agency.client_a.pk,
        response_id=low.pk,
        kind="rupture",
        rule="low_humility_item",
        summary="Cultural-humility ratings at or below 4: respected-values 2, fully-myself 2.",
        facts={"items": {"respected-values": 2, "fully-myself": 2}, "threshold": 4.0},
        state="open",
        raised_at=now,
    )
    RepairLog.objects.filter(pk=log.pk).update(signal_id=drop.pk)  # its table is unchanged

    _migrate(AFTER)

    (merged,) = Signal.objects.filter(response=low)
    assert merged.pk == drop.pk  # the one its repair log points to
    assert [reason["rule"] for reason in merged.reasons] == [
        "low_session_total",
        "drop_from_baseline",
        "low_humility_item",
    ]
    assert merged.state == "acknowledged" and merged.closed_at is None  # still live
    assert set(merged.facts) == {"low_session_total", "drop_from_baseline", "low_humility_item"}
    assert "respected-values" not in merged.summary
    assert "“My therapist respected my values and beliefs” 2" in merged.summary
    assert not Signal.objects.filter(pk=humility.pk).exists()
    log.refresh_from_db()
    assert log.signal_id == merged.pk
