"""The dashboard's figures, computed ahead of time and read back per request.

Aggregating every episode again on each request takes tens of seconds at a million episodes,
so the dashboard reads stored sums instead. ``refresh_figures`` runs ``attune.equity.database``'s
one statement for every view the dashboard offers and stores its rows (``DashboardCell``) in
the database, in the same transaction as it marks the refresh done: a reader sees the old
figures or the new ones, never half. ``figures_statistics`` reads back only the views a
request needs; estimates, intervals, tests, Benjamini-Hochberg and suppression are then
computed per request, exactly as from a live aggregation. Nothing about a person is stored:
only the same group sums the live report is built from.

A refresh runs nightly from cron (``attune manage refresh_equity_dashboard``) or when a leader
asks for one from the page (``dashboard_refresh.request_refresh``), in the background-task worker.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from itertools import combinations
from typing import cast

from django.db import transaction
from django.utils import timezone

from attune.equity import schema
from attune.equity.database import (
    ATTRIBUTES,
    QUARTER,
    SUM_FIELDS,
    plan_views,
    run_statement,
    statistics_from_rows,
    statistics_statement,
)
from attune.equity.models import DashboardCell, DashboardRefresh, RefreshStatus
from attune.equity.summaries import EquityStatistics

# Every pair of attributes, then each attribute by quarter of referral (the trend).
INTERSECTIONS: dict[str, tuple[str, str]] = {
    schema.INTERSECTION_JOINER.join(pair): pair
    for pair in [*combinations(ATTRIBUTES, 2), *((QUARTER, name) for name in ATTRIBUTES)]
}
# A refresh still queued or running after this long is taken to have died with its worker.
STALLED_AFTER = timedelta(hours=6)
# What each row of the statement holds, by its first column (see database._statement).
SUMS_ROW, WAIT_ROW, EPISODES_ROW = 0, 1, 2


def latest_figures() -> DashboardRefresh | None:
    """Return the newest refresh that finished, or None before the first."""
    return (
        DashboardRefresh.objects.filter(status=RefreshStatus.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )


def last_failure() -> DashboardRefresh | None:
    """Return the newest refresh if it failed (a later success clears it), else None."""
    newest = DashboardRefresh.objects.exclude(finished_at=None).order_by("-finished_at").first()
    return newest if newest is not None and newest.status == RefreshStatus.FAILED else None


def pending_refresh() -> DashboardRefresh | None:
    """Return a refresh queued or running (and not stalled), if there is one."""
    return (
        DashboardRefresh.objects.filter(
            status__in=[RefreshStatus.QUEUED, RefreshStatus.RUNNING],
            requested_at__gte=timezone.now() - STALLED_AFTER,
        )
        .order_by("-requested_at", "-pk")
        .first()
    )


def refresh_figures(refresh: DashboardRefresh | None = None) -> DashboardRefresh:
    """Compute and store every view's sums; return the refresh, done.

    The older refreshes' cells are deleted in the same transaction as the new ones are
    written, so the table holds one set of figures at a time. If anything fails, the refresh
    is marked failed with the reason (the page shows it), the older figures stay, and the
    error is raised.
    """
    if refresh is None:
        refresh = DashboardRefresh.objects.create()
    DashboardRefresh.objects.filter(pk=refresh.pk).update(
        status=RefreshStatus.RUNNING, started_at=timezone.now()
    )
    sql, params = statistics_statement((*ATTRIBUTES, QUARTER), list(INTERSECTIONS.values()))
    try:
        # The statement is the long part (minutes at a million episodes); its rows are then
        # gathered here, each group's waits into one list, and written in one transaction.
        rows = run_statement(sql, params)
        cells = _cells(refresh, rows)
        episodes = next((cast(int, row[5]) for row in rows if row[0] == EPISODES_ROW), 0)
        with transaction.atomic():
            DashboardCell.objects.bulk_create(cells, batch_size=1000)
            DashboardCell.objects.filter(refresh__finished_at__isnull=False).exclude(
                refresh=refresh
            ).delete()
            DashboardRefresh.objects.filter(pk=refresh.pk).update(
                status=RefreshStatus.DONE,
                finished_at=timezone.now(),
                n_cells=len(cells),
                n_episodes=int(episodes or 0),
            )
    except Exception as error:
        DashboardRefresh.objects.filter(pk=refresh.pk).update(
            status=RefreshStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:500],
        )
        raise
    refresh.refresh_from_db()
    return refresh


def _cells(refresh: DashboardRefresh, rows: Sequence[Sequence]) -> list[DashboardCell]:
    """Return one cell per group of each view, its waits gathered from the statement's rows."""
    waits: dict[tuple, list[list[int]]] = defaultdict(list)
    for kind, view, first, second, days, count, *_ in rows:
        if kind == WAIT_ROW:
            # Whole numbers, which PostgreSQL gives as decimals in this column of the union.
            waits[view, first, second].append([int(days), int(count)])
    return [
        DashboardCell(
            refresh=refresh,
            view=view,
            first_group=first,
            second_group=second,
            waits=sorted(waits.get((view, first, second), [])),
            **dict(zip(SUM_FIELDS, sums, strict=True)),
        )
        for kind, view, first, second, _days, *sums in rows
        if kind == SUMS_ROW
    ]


def figures_statistics(
    refresh: DashboardRefresh,
    *,
    attributes: Sequence[str] = ATTRIBUTES,
    intersect: Sequence[tuple[str, str]] = (),
) -> EquityStatistics:
    """Return the statistics of the views asked for, as stored by ``refresh``."""
    _names, plans = plan_views(attributes, intersect)
    views = [name for name, _ in plans]
    cells = DashboardCell.objects.filter(refresh=refresh, view__in=views).values_list(
        "view", "first_group", "second_group", "waits", *SUM_FIELDS
    )
    # Back into the statement's shape: a row of sums, then a row per wait, then the count.
    padding = (None,) * (len(SUM_FIELDS) - 1)
    rows: list[tuple] = []
    for view, first, second, waits, *sums in cells:
        rows.append((SUMS_ROW, view, first, second, None, *sums))
        rows.extend((WAIT_ROW, view, first, second, days, count, *padding) for days, count in waits)
    rows.append((EPISODES_ROW, "", "", "", None, refresh.n_episodes, *padding))
    return statistics_from_rows(plans, rows)
