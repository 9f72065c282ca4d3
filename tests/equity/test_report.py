"""The report finds planted gaps, stays quiet on null ones, and counts groups right."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from attune.equity import (
    EquityInputError,
    build_report,
    collect_statistics,
    load_episodes,
    validate_episodes,
)
from attune.equity.collect import split_groups
from attune.equity.report import MetricRow, Report
from attune.equity.synthetic import NO_GAPS, generate_episodes
from tests.equity.builders import episode, write_rows

pytestmark = pytest.mark.pure

JSON_KEYS = [
    "metric",
    "attribute",
    "group",
    "n",
    "value",
    "ci_low",
    "ci_high",
    "reference_group",
    "ratio",
    "difference",
    "p_value",
    "q_value",
    "significant",
    "suppressed",
]


def _row(report: Report, metric: str, attribute: str, group: str) -> MetricRow:
    matches = [
        r for r in report.rows if (r.metric, r.attribute, r.group) == (metric, attribute, group)
    ]
    assert len(matches) == 1, (metric, attribute, group)
    return matches[0]


@pytest.fixture(scope="module")
def planted_report() -> Report:
    episodes = validate_episodes(generate_episodes(20_000, seed=11))
    return build_report(episodes, intersect=[("gender", "language")])


def test_it_finds_the_planted_gaps(planted_report: Report) -> None:
    dropout = _row(planted_report, "dropout_rate", "language", "Spanish")
    assert dropout.significant and dropout.reference_group == "English"
    assert 1.5 < dropout.ratio < 2.1  # type: ignore[operator]
    waits = _row(planted_report, "days_to_first_session", "language", "Spanish")
    assert waits.significant and waits.difference == pytest.approx(7, abs=1)
    humility = _row(planted_report, "humility_mean", "language", "Spanish")
    assert humility.significant and humility.difference < -5  # type: ignore[operator]
    never_seen = _row(planted_report, "never_seen_rate", "race", "Black")
    assert never_seen.significant and never_seen.ratio > 1.3  # type: ignore[operator]
    alliance = _row(planted_report, "alliance_mean", "gender", "Non-binary")
    assert alliance.significant and alliance.difference < -4  # type: ignore[operator]
    within = _row(planted_report, "dropout_rate", "gender+language", "Woman+Spanish")
    assert within.significant and within.reference_group == "Woman+English"


def test_it_keeps_the_null_attribute_quiet(planted_report: Report) -> None:
    # Birth season has no effect by construction: its discoveries are all false, and BH
    # keeps them a small share of all discoveries (the data are seeded, so this is fixed).
    season = [r for r in planted_report.rows if r.attribute == "birth_season"]
    discoveries = [r for r in planted_report.rows if r.significant]
    false = [r for r in season if r.significant]
    assert season and len(discoveries) >= 20
    assert len(false) / len(discoveries) <= 0.05


def test_it_holds_the_false_discovery_rate_when_nothing_differs() -> None:
    # With no gap anywhere, any discovery is false; BH keeps P(any) near 5% or below.
    seeds_with_discoveries = 0
    for seed in range(12):
        report = build_report(validate_episodes(generate_episodes(3_000, seed=seed, gaps=NO_GAPS)))
        assert report.n_tests > 50
        seeds_with_discoveries += any(row.significant for row in report.rows)
    # Expected at most 0.6 of 12; 3 or more would happen by chance with probability < 2%.
    assert seeds_with_discoveries <= 2


def test_it_keeps_false_discoveries_within_the_rate_next_to_real_gaps() -> None:
    proportions = []
    for seed in range(8):
        report = build_report(validate_episodes(generate_episodes(6_000, seed=100 + seed)))
        discoveries = [row for row in report.rows if row.significant]
        false = [row for row in discoveries if row.attribute == "birth_season"]
        proportions.append(len(false) / max(1, len(discoveries)))
    assert sum(proportions) / len(proportions) <= 0.05


def test_it_counts_a_person_in_every_group_they_selected(tmp_path: Path) -> None:
    values = ["English;Spanish", "Spanish", "", "English", " Spanish ; Spanish ", "Arabic;English"]
    rows = [episode(index, language=value) for index, value in enumerate(values, start=1)]
    statistics = collect_statistics(load_episodes(write_rows(tmp_path / "e.csv", rows)))
    language = next(a for a in statistics.attributes if a.name == "language")
    sizes = {name: group.episodes for name, group in language.groups.items()}
    assert sizes == {"English": 3, "Spanish": 3, "Arabic": 1, "not disclosed": 1}


def test_it_counts_multi_valued_groups_like_a_person_by_person_count() -> None:
    frame = generate_episodes(4_000, seed=5)
    statistics = collect_statistics(validate_episodes(frame), intersect=[("gender", "race")])
    people = frame.select(
        "gender", "language", "race", "birth_season", "end_reason", "sessions_attended"
    ).to_dicts()
    for attribute in statistics.attributes:
        components = attribute.components
        for group in attribute.groups.values():
            members = [
                person
                for person in people
                if all(
                    part in split_groups(person[name])
                    for name, part in zip(components, group.parts, strict=True)
                )
            ]
            assert group.episodes == len(members), (attribute.name, group.name)
            dropped = sum(
                1
                for p in members
                if p["end_reason"] == "dropped_out" and (p["sessions_attended"] or 0) >= 1
            )
            assert group.metrics["dropout_rate"].events == dropped  # type: ignore[union-attr]


def test_it_names_intersection_groups_by_both_parts(planted_report: Report) -> None:
    groups = {r.group for r in planted_report.rows if r.attribute == "gender+language"}
    assert {"Woman+Spanish", "Man+English", "not disclosed+Spanish"} <= groups


def test_it_returns_the_published_json_shape(planted_report: Report) -> None:
    document = planted_report.to_json_dict()
    assert list(document) == ["n_episodes", "metrics"]
    assert document["n_episodes"] == 20_000
    assert all(list(row) == JSON_KEYS for row in document["metrics"])
    metrics = {row["metric"] for row in document["metrics"]}
    assert metrics == {
        "never_seen_rate",
        "days_to_first_session",
        "no_show_rate",
        "dropout_rate",
        "phq9_reliable_improvement_rate",
        "gad7_reliable_improvement_rate",
        "recovery_rate",
        "humility_mean",
        "alliance_mean",
    }


def test_it_compares_with_the_largest_group_unless_told(planted_report: Report) -> None:
    reference = _row(planted_report, "dropout_rate", "gender", "Woman")
    assert reference.reference_group == "Woman"
    assert reference.ratio == 1.0 and reference.difference == 0.0 and reference.p_value is None
    episodes = validate_episodes(generate_episodes(5_000, seed=2))
    report = build_report(episodes, reference={"language": "Spanish"})
    english = _row(report, "dropout_rate", "language", "English")
    assert english.reference_group == "Spanish" and english.ratio < 1  # type: ignore[operator]


def test_it_rejects_an_unknown_reference_or_intersection() -> None:
    episodes = validate_episodes(generate_episodes(500, seed=2))
    with pytest.raises(EquityInputError, match="no group 'Klingon' in language"):
        build_report(episodes, reference={"language": "Klingon"})
    with pytest.raises(EquityInputError, match="'shoe_size' is not an attribute column"):
        build_report(episodes, intersect=[("gender", "shoe_size")])


def test_it_never_allows_a_minimum_cell_below_eleven() -> None:
    episodes = validate_episodes(generate_episodes(500, seed=2))
    with pytest.raises(EquityInputError, match="at least 11"):
        build_report(episodes, min_cell=10)
    larger = build_report(episodes, min_cell=40)
    default = build_report(episodes)
    assert sum(r.suppressed for r in larger.rows) > sum(r.suppressed for r in default.rows)


def test_it_gives_the_metrics_their_definitions(tmp_path: Path) -> None:
    rows = [episode(i) for i in range(1, 13)]
    rows += [
        episode(
            13,
            first_session_date="",
            end_reason="ongoing",
            sessions_attended=0,
            sessions_scheduled=0,
            end_date="",
            phq9_first="",
            phq9_last="",
            gad7_first="",
            gad7_last="",
            humility_mean="",
            alliance_mean="",
        )
    ]
    rows[0] = episode(1, end_reason="dropped_out", phq9_first=20, phq9_last=18, gad7_last=9)
    rows[1] = episode(2, first_session_date="2025-02-01")
    frame = load_episodes(write_rows(tmp_path / "e.csv", rows))
    frame = frame.with_columns(pl.lit("All").alias("gender"), pl.lit("All").alias("language"))
    report = build_report(frame)
    value = {r.metric: r for r in report.rows if r.attribute == "gender"}
    assert value["never_seen_rate"].value == pytest.approx(1 / 13)
    assert value["never_seen_rate"].n == 13
    assert value["days_to_first_session"].n == 12
    assert value["days_to_first_session"].value == 14
    assert value["no_show_rate"].value == pytest.approx(1 / 8)
    assert value["dropout_rate"].value == pytest.approx(1 / 12)
    assert value["phq9_reliable_improvement_rate"].value == pytest.approx(11 / 12)
    # Episode 1's GAD-7 fell by 3, short of the reliable 4.
    assert value["gad7_reliable_improvement_rate"].value == pytest.approx(11 / 12)
    # Episode 1 stays above the GAD-7 threshold (9 >= 8), so it has not recovered.
    assert value["recovery_rate"].value == pytest.approx(11 / 12)
    assert value["humility_mean"].value == pytest.approx(80)


def test_it_accepts_an_attribute_named_like_an_internal_sum() -> None:
    frame = generate_episodes(800, seed=4).rename({"birth_season": "episodes"})
    report = build_report(validate_episodes(frame))
    assert {r.attribute for r in report.rows} == {"gender", "language", "race", "episodes"}
