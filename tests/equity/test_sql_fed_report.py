"""A report fed by SQL aggregates equals the report computed from the episode frame.

The database path of the web app computes per-group sums with GROUP BY and never loads
rows into Python; this test plays that part with SQLite (one row per selected value,
as a normalised identity table stores it) to pin down the contract.
"""

from __future__ import annotations

import sqlite3

import pytest

from attune.equity import (
    AGGREGATE_FIELDS,
    AttributeSummaries,
    EquityStatistics,
    GroupSummaries,
    build_report,
    metric_summaries,
    report_from_statistics,
    validate_episodes,
)
from attune.equity.collect import split_groups
from attune.equity.synthetic import generate_episodes

pytestmark = pytest.mark.pure

ATTRIBUTES = ("gender", "language", "race", "birth_season")

MEASURES = """
CREATE VIEW m AS SELECT episode_id,
  first_session_date IS NULL AS never_seen,
  CASE WHEN first_session_date IS NOT NULL
       THEN CAST(julianday(first_session_date) - julianday(referral_date) AS INTEGER) END AS wait,
  CASE WHEN first_session_date IS NOT NULL AND sessions_scheduled > 0
       AND sessions_attended IS NOT NULL THEN sessions_scheduled END AS s,
  CASE WHEN first_session_date IS NOT NULL AND sessions_scheduled > 0
       AND sessions_attended IS NOT NULL THEN sessions_scheduled - sessions_attended END AS d,
  COALESCE(sessions_attended >= 1, 0) AS engaged,
  COALESCE(sessions_attended >= 1 AND end_reason = 'dropped_out', 0) AS dropped_out,
  phq9_first IS NOT NULL AND phq9_last IS NOT NULL AS phq9_pairs,
  COALESCE(phq9_first - phq9_last >= 6, 0) AS phq9_improved,
  gad7_first IS NOT NULL AND gad7_last IS NOT NULL AS gad7_pairs,
  COALESCE(gad7_first - gad7_last >= 4, 0) AS gad7_improved,
  COALESCE(phq9_last IS NOT NULL AND gad7_last IS NOT NULL
           AND (phq9_first >= 10 OR gad7_first >= 8), 0) AS cases,
  COALESCE(phq9_last IS NOT NULL AND gad7_last IS NOT NULL
           AND (phq9_first >= 10 OR gad7_first >= 8) AND phq9_last < 10 AND gad7_last < 8, 0)
    AS recovered,
  humility_mean AS h, alliance_mean AS a
FROM episodes
"""

TOTALS = """
SELECT i.value AS grp, COUNT(*) AS episodes, SUM(never_seen) AS never_seen,
  COUNT(s) AS no_show_episodes, SUM(s) AS scheduled, SUM(d) AS missed,
  SUM(s * s) AS scheduled_sq, SUM(d * d) AS missed_sq, SUM(s * d) AS scheduled_missed,
  SUM(engaged) AS engaged, SUM(dropped_out) AS dropped_out,
  SUM(phq9_pairs) AS phq9_pairs, SUM(phq9_improved) AS phq9_improved,
  SUM(gad7_pairs) AS gad7_pairs, SUM(gad7_improved) AS gad7_improved,
  SUM(cases) AS cases, SUM(recovered) AS recovered,
  COUNT(h) AS humility_n, SUM(h) AS humility_sum, SUM(h * h) AS humility_sum_sq,
  COUNT(a) AS alliance_n, SUM(a) AS alliance_sum, SUM(a * a) AS alliance_sum_sq
FROM m JOIN identities AS i USING (episode_id)
WHERE i.attribute = ?
GROUP BY i.value
"""

WAITS = """
SELECT i.value, wait, COUNT(*) FROM m JOIN identities AS i USING (episode_id)
WHERE i.attribute = ? AND wait IS NOT NULL GROUP BY i.value, wait
"""


def _database(frame) -> sqlite3.Connection:  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(":memory:")
    columns = [c for c in frame.columns if c not in ATTRIBUTES]
    connection.execute(f"CREATE TABLE episodes ({', '.join(columns)})")
    text = frame.select(columns).with_columns(
        [frame[c].cast(str) for c in ("referral_date", "first_session_date", "end_date")]
    )
    placeholders = ", ".join("?" * len(columns))
    # Only placeholders are interpolated; the values travel as parameters.
    connection.executemany(f"INSERT INTO episodes VALUES ({placeholders})", text.rows())  # noqa: S608
    connection.execute(MEASURES)
    connection.execute("CREATE TABLE identities (episode_id, attribute, value)")
    identities = [
        (row["episode_id"], attribute, group)
        for row in frame.select("episode_id", *ATTRIBUTES).iter_rows(named=True)
        for attribute in ATTRIBUTES
        for group in split_groups(row[attribute])
    ]
    connection.executemany("INSERT INTO identities VALUES (?, ?, ?)", identities)
    return connection


def test_it_builds_the_same_report_from_sql_aggregates() -> None:
    frame = validate_episodes(generate_episodes(3_000, seed=8))
    connection = _database(frame)
    attributes = []
    for attribute in ATTRIBUTES:
        waits: dict[str, list[tuple[float, int]]] = {}
        for group, days, count in connection.execute(WAITS, (attribute,)):
            waits.setdefault(group, []).append((days, count))
        cursor = connection.execute(TOTALS, (attribute,))
        names = [column[0] for column in cursor.description]
        assert set(AGGREGATE_FIELDS) <= set(names)
        summaries = AttributeSummaries(attribute, (attribute,))
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            summaries.groups[row["grp"]] = GroupSummaries(
                row["grp"],
                (row["grp"],),
                row["episodes"],
                metric_summaries(row, waits.get(row["grp"], [])),
            )
        attributes.append(summaries)
    from_sql = report_from_statistics(EquityStatistics(frame.height, attributes))
    from_frame = build_report(frame)
    assert len(from_sql.rows) == len(from_frame.rows)
    for sql_row, frame_row in zip(from_sql.rows, from_frame.rows, strict=True):
        assert sql_row.metric == frame_row.metric and sql_row.group == frame_row.group
        assert sql_row.n == frame_row.n and sql_row.suppressed == frame_row.suppressed
        for field in ("value", "ci_low", "ci_high", "ratio", "p_value", "q_value"):
            expected = getattr(frame_row, field)
            if expected is None:
                assert getattr(sql_row, field) is None
            else:
                assert getattr(sql_row, field) == pytest.approx(expected, rel=1e-9)
