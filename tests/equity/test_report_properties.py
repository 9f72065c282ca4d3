"""The report never crashes and never emits NaN, whatever group sums it is given."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attune.equity import AttributeSummaries, EquityStatistics, GroupSummaries, metric_summaries
from attune.equity.render import render_csv, render_html, render_json
from attune.equity.report import report_from_statistics
from attune.equity.summaries import AGGREGATE_FIELDS

pytestmark = pytest.mark.pure


@st.composite
def group_sums(draw: st.DrawFn) -> dict[str, float]:
    episodes = draw(st.integers(0, 5_000))

    def part(limit: int) -> int:
        return draw(st.integers(0, limit))

    sums: dict[str, float] = {name: 0.0 for name in AGGREGATE_FIELDS}
    sums["episodes"] = episodes
    sums["never_seen"] = part(episodes)
    for base, events in (
        ("engaged", "dropped_out"),
        ("phq9_pairs", "phq9_improved"),
        ("gad7_pairs", "gad7_improved"),
        ("cases", "recovered"),
    ):
        sums[base] = part(episodes)
        sums[events] = part(int(sums[base]))
    sums["no_show_episodes"] = part(episodes)
    sessions = draw(st.integers(0, 20))
    sums["scheduled"] = sums["no_show_episodes"] * sessions
    sums["missed"] = part(int(sums["scheduled"]))
    sums["scheduled_sq"] = sums["no_show_episodes"] * sessions**2
    sums["missed_sq"] = draw(st.floats(0, 1e7))
    sums["scheduled_missed"] = draw(st.floats(0, 1e7))
    for rating in ("humility", "alliance"):
        n = part(episodes)
        mean = draw(st.floats(0, 100))
        sums[f"{rating}_n"], sums[f"{rating}_sum"] = n, n * mean
        sums[f"{rating}_sum_sq"] = n * (mean * mean + draw(st.floats(0, 400)))
    return sums


waits = st.lists(st.tuples(st.integers(0, 400), st.integers(1, 500)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(group_sums(), waits), min_size=1, max_size=6))
def test_it_reports_any_group_sums_without_nan(groups: list[tuple[dict[str, float], list]]) -> None:
    attribute = AttributeSummaries("language", ("language",))
    for index, (sums, wait_table) in enumerate(groups):
        name = f"group {index}"
        attribute.groups[name] = GroupSummaries(
            name, (name,), int(sums["episodes"]), metric_summaries(sums, wait_table)
        )
    total = sum(int(sums["episodes"]) for sums, _ in groups)
    report = report_from_statistics(EquityStatistics(total, [attribute]))
    json.loads(render_json(report))
    render_csv(report)
    render_html(report)
    for row in report.rows:
        assert row.suppressed or row.n is not None
        if row.q_value is not None:
            assert 0 <= row.q_value <= 1
