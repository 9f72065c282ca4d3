"""Dashboards and reports read from a PostgreSQL streaming replica, when one is configured.

``ATTUNE_REPLICA_DATABASE_URL`` adds the ``replica`` database.  Only code inside
``reports_from_replica()`` (or a view decorated with ``reads_from_replica``) reads from it: the
leader's equity dashboard and its PDF report, which show stored aggregate figures, never a record
someone has just changed.  Everything else, every write and every read outside that block, goes to
the primary, so no one misses what they just saved.

The replica is used only while it is fresh: caught up with what it received, or replaying no more
than ``ATTUNE_REPLICA_MAX_LAG_SECONDS`` behind.  A replica that lags, has stopped replaying, or
cannot be reached sends the reads back to the primary.  Its freshness is asked at most every
``FRESHNESS_SECONDS`` per process (it describes the replica, not any one request).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
FRESHNESS_SECONDS = 5.0

# Set only for the duration of a block: a request served next on the same thread starts unset.
_reading_reports: ContextVar[bool] = ContextVar("attune_reading_reports", default=False)
_freshness_lock = threading.Lock()
_freshness: dict[str, float | bool] = {"checked_at": float("-inf"), "fresh": False}

# How far behind the replica's replay is: 0 when it has replayed all it received (an idle primary
# sends nothing, so the last replayed transaction's age alone would wrongly say "far behind").
LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN 0
        WHEN pg_is_wal_replay_paused() THEN NULL
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
        ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
    END
"""


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_lag_seconds() -> float | None:
    """Return the replica's replay lag in seconds, or None when it is paused or unreachable."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            (lag,) = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("the reporting replica cannot be reached (%s); reading the primary", error)
        connections[REPLICA].close()
        return None
    return None if lag is None else float(lag)


def replica_fresh(*, now: float | None = None) -> bool:
    """Return whether the replica is close enough behind the primary to read reports from."""
    now = time.monotonic() if now is None else now
    with _freshness_lock:
        if now - float(_freshness["checked_at"]) < FRESHNESS_SECONDS:
            return bool(_freshness["fresh"])
    lag = replica_lag_seconds()
    fresh = lag is not None and lag <= settings.ATTUNE_REPLICA_MAX_LAG_SECONDS
    with _freshness_lock:
        _freshness.update(checked_at=now, fresh=fresh)
    if not fresh:
        logger.info("the reporting replica lags (%s s); reading the primary", lag)
    return fresh


def forget_freshness() -> None:
    """Ask the replica again on the next read (tests, and after a fail-over)."""
    with _freshness_lock:
        _freshness.update(checked_at=float("-inf"), fresh=False)


@contextmanager
def reports_from_replica() -> Iterator[None]:
    """Within this block, reads go to the replica while it is fresh."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve ``view``'s reads from the replica; who is signed in is read from the primary first."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = getattr(request, "user", None)
        if user is not None:
            _ = user.is_authenticated  # resolve the lazy user on the primary, before the block
        with reports_from_replica():
            return view(request, *args, **kwargs)

    return wrapped


def reading_database() -> str:
    """Return the database that reads go to here and now: ``replica`` or ``default``."""
    if _reading_reports.get() and replica_configured() and replica_fresh():
        return REPLICA
    return "default"


class ReplicaRouter:
    """Send reads inside ``reports_from_replica`` to a fresh replica, all else to the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        database = reading_database()
        return database if database == REPLICA else None

    def db_for_write(self, model, **hints) -> str | None:
        return None

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return db != REPLICA  # a standby is read-only; it follows the primary's schema
