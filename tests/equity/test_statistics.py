"""Intervals, tests and the false-discovery control, against known values and SciPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from attune.equity import distributions, stats
from attune.equity.summaries import Frequencies, Moments, Proportion, SessionTally

pytestmark = pytest.mark.pure


@pytest.mark.parametrize(
    ("events", "n", "low", "high"),
    [
        (5, 20, 0.1119, 0.4687),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (50, 100, 0.4038, 0.5962),
    ],
)
def test_it_matches_known_wilson_intervals(events: int, n: int, low: float, high: float) -> None:
    interval = stats.wilson_interval(events, n)
    assert interval is not None
    assert interval[0] == pytest.approx(low, abs=5e-5)
    assert interval[1] == pytest.approx(high, abs=5e-5)


def test_it_adjusts_p_values_like_a_hand_computed_benjamini_hochberg() -> None:
    # Sorted 0.005, 0.01, 0.03, 0.04 with m = 4: p*m/rank = 0.02, 0.02, 0.04, 0.04.
    assert stats.benjamini_hochberg([0.01, 0.04, 0.03, 0.005]) == pytest.approx(
        [0.02, 0.04, 0.04, 0.02]
    )
    # Step-up: the first raw ratio 0.06 is lowered to the next rank's 0.0315.
    assert stats.benjamini_hochberg([0.02, 0.021, 0.5]) == pytest.approx([0.0315, 0.0315, 0.5])
    assert stats.benjamini_hochberg([]) == []


def test_it_agrees_with_scipy_benjamini_hochberg() -> None:
    p_values = np.random.default_rng(4).uniform(0, 0.2, 60)
    expected = scipy_stats.false_discovery_control(p_values, method="bh")
    assert stats.benjamini_hochberg(list(p_values)) == pytest.approx(list(expected))


def test_it_computes_student_t_and_binomial_like_scipy() -> None:
    for df in (1, 2.5, 7, 30, 400, 1e5):
        assert distributions.t_quantile(0.975, df) == pytest.approx(
            scipy_stats.t.ppf(0.975, df), rel=1e-9
        )
        for t in (0.2, 1.7, 4.0):
            assert distributions.t_two_sided_p(t, df) == pytest.approx(
                2 * scipy_stats.t.sf(t, df), rel=1e-7
            )
    for n in (6, 11, 99, 5000):
        for k in (0, n // 3, n // 2):
            assert distributions.binomial_cdf(k, n, 0.5) == pytest.approx(
                scipy_stats.binom.cdf(k, n, 0.5), rel=1e-7
            )


def _frequencies(values: np.ndarray) -> Frequencies:
    distinct, counts = np.unique(values, return_counts=True)
    return Frequencies(tuple(float(v) for v in distinct), tuple(int(c) for c in counts))


def _moments(values: np.ndarray) -> Moments:
    return Moments(len(values), float(values.sum()), float((values**2).sum()))


def test_it_tests_means_like_scipy_welch() -> None:
    rng = np.random.default_rng(2)
    a, b = rng.normal(70, 10, 80), rng.normal(74, 18, 35)
    expected = scipy_stats.ttest_ind(a, b, equal_var=False).pvalue
    assert stats.welch_t_test(_moments(a), _moments(b)) == pytest.approx(expected, rel=1e-7)
    estimate = stats.estimate_mean(_moments(a))
    low, high = scipy_stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=scipy_stats.sem(a))
    assert (estimate.ci_low, estimate.ci_high) == pytest.approx((low, high), rel=1e-9)


def test_it_tests_waits_like_scipy_mann_whitney() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.poisson(14, 150), rng.poisson(17, 90)
    expected = scipy_stats.mannwhitneyu(a, b, method="asymptotic").pvalue
    assert stats.mann_whitney_p(_frequencies(a), _frequencies(b)) == pytest.approx(
        expected, rel=1e-9
    )


def test_it_uses_fisher_exact_for_small_expected_counts_like_scipy() -> None:
    expected = scipy_stats.fisher_exact([[1, 14], [30, 70]]).pvalue
    p_value = stats.compare_proportions(Proportion(15, 1), Proportion(100, 30))
    assert p_value == pytest.approx(expected, rel=1e-9)
    large = stats.compare_proportions(Proportion(400, 120), Proportion(900, 200))
    table = np.array([[120, 280], [200, 700]])
    chi2 = scipy_stats.chi2_contingency(table, correction=False).pvalue
    assert large == pytest.approx(chi2, rel=1e-9)


def test_it_brackets_the_median_with_order_statistics() -> None:
    values = np.arange(1, 101)
    estimate = stats.estimate_median(_frequencies(values))
    assert estimate.value == 50.5
    # For n = 100 the classic ranks are 40 and 61 (coverage 95.4%).
    assert (estimate.ci_low, estimate.ci_high) == (40, 61)
    assert stats.median_interval_ranks(5) is None
    lower, upper = stats.median_interval_ranks(11)  # type: ignore[misc]
    coverage = 1 - 2 * scipy_stats.binom.cdf(lower - 1, 11, 0.5)
    assert coverage >= 0.95
    assert 1 - 2 * scipy_stats.binom.cdf(lower, 11, 0.5) < 0.95


def test_it_widens_the_no_show_interval_for_clustered_sessions() -> None:
    # Same pooled rate (20%); in the second tally all missed sessions sit in few episodes.
    spread = SessionTally(100, 1000, 200, 100 * 100, 100 * 4, 100 * 20)
    clustered = SessionTally(100, 1000, 200, 100 * 100, 20 * 100, 20 * 100)
    narrow, wide = stats.estimate_session_rate(spread), stats.estimate_session_rate(clustered)
    assert narrow.value == wide.value == pytest.approx(0.2)
    assert (wide.ci_high - wide.ci_low) > 2 * (narrow.ci_high - narrow.ci_low)  # type: ignore[operator]


counts = st.integers(min_value=0, max_value=10**7)
reals = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)


@st.composite
def proportions(draw: st.DrawFn) -> Proportion:
    n = draw(counts)
    return Proportion(n, draw(st.integers(min_value=0, max_value=n)))


@st.composite
def moments(draw: st.DrawFn) -> Moments:
    n = draw(st.integers(min_value=0, max_value=10**6))
    values = draw(st.lists(st.floats(0, 100), min_size=1, max_size=5))
    mean = sum(values) / len(values)
    spread = draw(st.floats(0, 2500))
    return Moments(n, mean * n, n * (mean * mean + spread))


@st.composite
def frequencies(draw: st.DrawFn) -> Frequencies:
    table = draw(st.dictionaries(st.integers(0, 3650), st.integers(1, 10**5), max_size=30))
    ordered = sorted(table.items())
    return Frequencies(tuple(float(v) for v, _ in ordered), tuple(c for _, c in ordered))


@st.composite
def tallies(draw: st.DrawFn) -> SessionTally:
    return SessionTally(
        draw(counts), draw(reals), draw(reals), draw(reals), draw(reals), draw(reals)
    )


def _check_estimate(estimate: stats.Estimate) -> None:
    for number in (estimate.value, estimate.ci_low, estimate.ci_high):
        assert number is None or math.isfinite(number)
    if estimate.ci_low is not None and estimate.ci_high is not None:
        assert estimate.ci_low <= estimate.ci_high


def _check_p(p_value: float | None) -> None:
    assert p_value is None or 0.0 <= p_value <= 1.0


@settings(max_examples=200, deadline=None)
@given(proportions(), proportions())
def test_it_never_crashes_on_odd_rates(group: Proportion, reference: Proportion) -> None:
    _check_estimate(stats.estimate_proportion(group))
    _check_p(stats.compare_proportions(group, reference))


@settings(max_examples=200, deadline=None)
@given(moments(), moments())
def test_it_never_crashes_on_odd_means(group: Moments, reference: Moments) -> None:
    _check_estimate(stats.estimate_mean(group))
    _check_p(stats.welch_t_test(group, reference))


@settings(max_examples=150, deadline=None)
@given(frequencies(), frequencies())
def test_it_never_crashes_on_odd_waits(group: Frequencies, reference: Frequencies) -> None:
    _check_estimate(stats.estimate_median(group))
    _check_p(stats.mann_whitney_p(group, reference))


@settings(max_examples=200, deadline=None)
@given(tallies(), tallies())
def test_it_never_crashes_on_odd_session_tallies(
    group: SessionTally, reference: SessionTally
) -> None:
    _check_estimate(stats.estimate_session_rate(group))
    _check_p(stats.compare_session_rates(group, reference))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1), max_size=50))
def test_it_keeps_q_values_between_p_and_one(p_values: list[float]) -> None:
    q_values = stats.benjamini_hochberg(p_values)
    assert all(p <= q + 1e-12 and q <= 1 for p, q in zip(p_values, q_values, strict=True))
