"""Documentation language: stigmatizing findings per 1,000 words of session notes, by group."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from scipy import stats as scipy_stats

from attune.equity import build_report, load_episodes, render_csv, render_html, render_json
from attune.equity.distributions import poisson_interval
from attune.equity.errors import EquityInputError
from attune.equity.schema import EPISODE_COLUMNS, NOTE_COLUMNS
from attune.equity.stats import compare_count_rates, estimate_count_rate
from attune.equity.summaries import Exposure
from tests.equity.builders import ATTRIBUTES, episode, write_rows

METRIC = "stigmatizing_per_1000_words"
WITH_NOTES = (*EPISODE_COLUMNS, *NOTE_COLUMNS, *ATTRIBUTES)


def _rows(generator, count, *, language, density, start=0):  # type: ignore[no-untyped-def]
    rows = []
    for index in range(start, start + count):
        words = generator.randrange(200, 2000)
        findings = sum(generator.random() < density for _ in range(words))
        rows.append(episode(index, language=language, note_words=words, note_findings=findings))
    return rows


def _metric_rows(report, attribute="language"):  # type: ignore[no-untyped-def]
    return {
        row.group: row for row in report.rows if row.metric == METRIC and row.attribute == attribute
    }


@pytest.mark.parametrize("count", [0, 1, 4, 25, 300, 12000])
def test_the_interval_is_the_exact_poisson_one(count: int) -> None:
    low, high = poisson_interval(count)
    expected_low = scipy_stats.chi2.ppf(0.025, 2 * count) / 2 if count else 0.0
    assert low == pytest.approx(expected_low, rel=1e-8, abs=1e-10)
    assert high == pytest.approx(scipy_stats.chi2.ppf(0.975, 2 * count + 2) / 2, rel=1e-8)


def test_the_rate_is_findings_per_thousand_words() -> None:
    estimate = estimate_count_rate(Exposure(n=12, events=30, exposure=6000))
    assert estimate.n == 12 and estimate.value == pytest.approx(5.0)
    assert estimate.ci_low < 5.0 < estimate.ci_high
    assert estimate_count_rate(Exposure(0, 0, 0)).value is None


def test_the_interval_covers_the_true_rate_about_95_times_in_100() -> None:
    generator = random.Random(7)
    true_rate, words, covered, trials = 4.0, 2500, 0, 400  # per 1,000 words
    for _ in range(trials):
        # A Poisson count by its exponential waiting times (no numpy needed).
        mean, count, clock = true_rate * words / 1000, 0, generator.expovariate(1.0)
        while clock < mean:
            count, clock = count + 1, clock + generator.expovariate(1.0)
        estimate = estimate_count_rate(Exposure(20, count, words))
        covered += estimate.ci_low <= true_rate <= estimate.ci_high
    assert 0.92 <= covered / trials <= 0.995


def test_the_test_is_the_conditional_binomial_one() -> None:
    group, reference = Exposure(15, 40, 5000), Exposure(30, 45, 11000)
    p_value = compare_count_rates(group, reference)
    share = 5000 / 16000
    lower = scipy_stats.binom.cdf(40, 85, share)
    upper = scipy_stats.binom.sf(39, 85, share)
    assert p_value == pytest.approx(min(1.0, 2 * min(lower, upper)), rel=1e-8)
    assert compare_count_rates(Exposure(3, 0, 500), Exposure(3, 0, 700)) == 1.0
    assert compare_count_rates(Exposure(0, 0, 0), reference) is None


def test_a_planted_difference_is_found(tmp_path: Path) -> None:
    generator = random.Random(11)
    rows = _rows(generator, 40, language="English", density=0.004)
    rows += _rows(generator, 30, language="Spanish", density=0.012, start=100)
    report = build_report(load_episodes(write_rows(tmp_path / "e.csv", rows, WITH_NOTES)))
    by_group = _metric_rows(report)
    spanish = by_group["Spanish"]
    assert by_group["English"].group == spanish.reference_group
    assert spanish.significant and spanish.ratio == pytest.approx(3, rel=0.35)
    assert spanish.n == 30 and spanish.difference > 0
    # It is in the same family of comparisons as every other metric.
    assert report.n_tests == sum(row.p_value is not None for row in report.rows)


def test_equal_rates_stay_quiet(tmp_path: Path) -> None:
    quiet = 0
    for seed in range(20):
        generator = random.Random(seed)
        rows = _rows(generator, 30, language="English", density=0.006)
        rows += _rows(generator, 30, language="Spanish", density=0.006, start=100)
        report = build_report(load_episodes(write_rows(tmp_path / "e.csv", rows, WITH_NOTES)))
        quiet += not _metric_rows(report)["Spanish"].significant
    assert quiet >= 18


def test_a_group_with_few_clients_with_notes_is_suppressed(tmp_path: Path) -> None:
    generator = random.Random(3)
    rows = _rows(generator, 40, language="English", density=0.005)
    rows += _rows(generator, 25, language="Spanish", density=0.005, start=300)
    rows += _rows(generator, 4, language="Tagalog", density=0.03, start=100)
    # Many Tagalog-speaking episodes, but only four of them have notes.
    rows += [episode(200 + index, language="Tagalog") for index in range(20)]
    report = build_report(load_episodes(write_rows(tmp_path / "e.csv", rows, WITH_NOTES)))
    tagalog = _metric_rows(report)["Tagalog"]
    assert tagalog.suppressed and tagalog.value is None and tagalog.n is None
    # The second-smallest cell is hidden too, so the small one cannot be worked out.
    assert _metric_rows(report)["Spanish"].suppressed
    assert _metric_rows(report)["English"].n == 40


def test_without_the_note_columns_the_metric_is_absent(tmp_path: Path) -> None:
    rows = [episode(index) for index in range(30)]
    report = build_report(load_episodes(write_rows(tmp_path / "e.csv", rows)))
    assert METRIC not in {row.metric for row in report.rows}
    assert len({row.metric for row in report.rows}) == 9


def test_the_note_columns_are_not_attributes_and_may_be_empty(tmp_path: Path) -> None:
    generator = random.Random(5)
    rows = _rows(generator, 30, language="English", density=0.005)
    rows += [episode(100 + index, note_words="", note_findings="") for index in range(5)]
    report = build_report(load_episodes(write_rows(tmp_path / "e.csv", rows, WITH_NOTES)))
    assert {row.attribute for row in report.rows} == {"gender", "language"}
    assert _metric_rows(report)["English"].n == 30
    assert len({row.metric for row in report.rows}) == 10


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"note_words": 10, "note_findings": 11}, "note_findings is greater than note_words"),
        ({"note_words": "", "note_findings": 2}, "only one of note_words and note_findings"),
        ({"note_words": 10, "note_findings": ""}, "only one of note_words and note_findings"),
        ({"note_words": -5, "note_findings": 0}, "note_words is negative"),
        ({"note_words": 10.5, "note_findings": 0}, "note_words is not a whole number"),
        ({"note_words": "many", "note_findings": 0}, "note_words is not a number"),
    ],
)
def test_bad_note_values_are_refused(tmp_path: Path, values: dict, problem: str) -> None:
    rows = [episode(1, note_words=100, note_findings=1), episode(2, **values)]
    with pytest.raises(EquityInputError, match=problem):
        load_episodes(write_rows(tmp_path / "e.csv", rows, WITH_NOTES))


def test_one_note_column_alone_is_refused(tmp_path: Path) -> None:
    rows = [episode(1, note_words=100)]
    columns = (*EPISODE_COLUMNS, "note_words", *ATTRIBUTES)
    with pytest.raises(EquityInputError, match="needs note_findings beside it"):
        load_episodes(write_rows(tmp_path / "e.csv", rows, columns))


def test_every_format_carries_it(tmp_path: Path) -> None:
    generator = random.Random(9)
    rows = _rows(generator, 30, language="English", density=0.004)
    rows += _rows(generator, 30, language="Spanish", density=0.012, start=100)
    report = build_report(load_episodes(write_rows(tmp_path / "e.csv", rows, WITH_NOTES)))
    document = json.loads(render_json(report))
    assert any(row["metric"] == METRIC for row in document["metrics"])
    assert METRIC in render_csv(report)
    html = render_html(report)
    assert "Stigmatizing language in session notes" in html and "per 1,000 words" in html
    assert not math.isnan(_metric_rows(report)["Spanish"].p_value)
