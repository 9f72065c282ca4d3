"""Which database a read goes to: the replica only for reports, only while it is fresh.

The real standby (started with pg_basebackup, replay paused and resumed) is exercised by
``bench/replica/run.py``, whose smoke run is part of CI; these tests hold the rules.
"""

from __future__ import annotations

import threading

import pytest

from attune import replica
from attune.replica import ReplicaRouter, reading_database, reads_from_replica, reports_from_replica

pytestmark = pytest.mark.pure


@pytest.fixture
def configured(settings, monkeypatch):
    """A replica in the settings, whose lag the test sets."""
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    settings.ATTUNE_REPLICA_MAX_LAG_SECONDS = 30
    lag = {"seconds": 0.0, "asked": 0}

    def fake_lag():
        lag["asked"] += 1
        return lag["seconds"]

    monkeypatch.setattr(replica, "replica_lag_seconds", fake_lag)
    replica.forget_freshness()
    yield lag
    replica.forget_freshness()


def test_reads_go_to_the_primary_outside_a_report_block(configured):
    assert reading_database() == "default"
    assert ReplicaRouter().db_for_read(object) is None


def test_reads_in_a_report_block_go_to_a_fresh_replica_and_writes_never_do(configured):
    with reports_from_replica():
        assert ReplicaRouter().db_for_read(object) == "replica"
        assert ReplicaRouter().db_for_write(object) is None
    assert ReplicaRouter().db_for_read(object) is None  # the block is over


def test_a_lagging_or_paused_replica_sends_reads_back_to_the_primary(configured):
    configured["seconds"] = 31.0
    with reports_from_replica():
        assert reading_database() == "default"
    replica.forget_freshness()
    configured["seconds"] = None  # replay paused, or the replica unreachable
    with reports_from_replica():
        assert reading_database() == "default"


def test_freshness_is_asked_at_most_every_few_seconds(configured):
    with reports_from_replica():
        for _ in range(5):
            assert reading_database() == "replica"
    assert configured["asked"] == 1
    assert replica.replica_fresh(now=float("inf")) is True  # long after: asked again
    assert configured["asked"] == 2


def test_without_a_replica_everything_reads_the_primary(settings):
    assert "replica" not in settings.DATABASES  # not configured in the tests
    with reports_from_replica():
        assert reading_database() == "default"


def test_the_block_belongs_to_its_thread_only(configured):
    seen = []
    inside = threading.Event()
    done = threading.Event()

    def other_request():
        inside.wait()
        seen.append(reading_database())  # a request served meanwhile on another thread
        done.set()

    thread = threading.Thread(target=other_request)
    thread.start()
    with reports_from_replica():
        inside.set()
        done.wait()
        assert reading_database() == "replica"
    thread.join()
    assert seen == ["default"]


def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate("replica", "access") is False
    assert ReplicaRouter().allow_migrate("default", "access") is True


def test_a_decorated_view_resolves_who_is_signed_in_before_reading_the_replica(configured):
    order = []

    class User:
        @property
        def is_authenticated(self):
            order.append(("user", reading_database()))
            return True

    class Request:
        user = User()

    @reads_from_replica
    def view(request):
        order.append(("view", reading_database()))
        return "page"

    assert view(Request()) == "page"
    assert order == [("user", "default"), ("view", "replica")]
