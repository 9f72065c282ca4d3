"""Estimates, 95% intervals and two-group tests computed from sufficient statistics."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from attune.equity.distributions import (
    Z_95,
    binomial_cdf,
    hypergeometric_log_pmf,
    normal_two_sided_p,
    poisson_interval,
    t_quantile,
    t_two_sided_p,
)
from attune.equity.metrics import PER_WORDS
from attune.equity.summaries import Exposure, Frequencies, Moments, Proportion, SessionTally

# Below this expected count in any cell of the 2x2 table the normal approximation
# misstates small p-values, so the exact test takes over.
FISHER_EXPECTED_BELOW = 5.0
# Beyond this size the normal approximation to the binomial picks the same ranks.
EXACT_MEDIAN_RANKS_UP_TO = 20_000


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its 95% interval (bounds are None when undefined)."""

    n: int
    value: float | None
    ci_low: float | None
    ci_high: float | None


def wilson_interval(events: float, n: float, z: float = Z_95) -> tuple[float, float] | None:
    """Return the Wilson score interval for ``events`` out of ``n``, or None when n is 0."""
    if n <= 0 or n * n == 0 or not math.isfinite(n) or not math.isfinite(events):
        return None
    p = min(1.0, max(0.0, events / n))
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def estimate_proportion(summary: Proportion) -> Estimate:
    """Return the rate with its Wilson interval."""
    if summary.n <= 0:
        return Estimate(summary.n, None, None, None)
    interval = wilson_interval(summary.events, summary.n)
    assert interval is not None
    return Estimate(summary.n, summary.events / summary.n, *interval)


def _session_rate_and_variance(summary: SessionTally) -> tuple[float, float] | None:
    """Return the pooled no-show rate and its cluster-robust (linearised) variance."""
    m, s = summary.episodes, summary.scheduled
    if m <= 0 or s <= 0:
        return None
    rate = summary.missed / s
    residual_sq = (
        summary.missed_sq - 2 * rate * summary.scheduled_missed + rate * rate * summary.scheduled_sq
    )
    residual_sq = max(0.0, residual_sq)
    correction = m / (m - 1) if m > 1 else 1.0
    variance = correction * residual_sq / (s * s) if s * s > 0 else math.inf
    if not (math.isfinite(rate) and math.isfinite(variance)):
        return None
    return rate, variance


def estimate_session_rate(summary: SessionTally) -> Estimate:
    """Return the pooled no-show rate with a Wilson interval on its effective sample size.

    The effective size is the number of independent sessions that would give the same
    variance as the cluster-robust one, so the interval widens when a few episodes hold
    most of the missed sessions.
    """
    rate_and_variance = _session_rate_and_variance(summary)
    if rate_and_variance is None:
        return Estimate(summary.episodes, None, None, None)
    rate, variance = rate_and_variance
    binomial_variance = rate * (1 - rate)
    if variance > 0 and binomial_variance > 0:
        # Never below one session's worth: a smaller "sample" only says the rate is unknown.
        effective_n = max(1.0, binomial_variance / variance)
    else:
        effective_n = max(1.0, summary.scheduled)
    interval = wilson_interval(rate * effective_n, effective_n)
    assert interval is not None
    return Estimate(summary.episodes, rate, *interval)


def _mean_and_variance(summary: Moments) -> tuple[float, float] | None:
    if summary.n <= 0:
        return None
    mean = summary.total / summary.n
    if summary.n < 2:
        return mean, math.nan
    variance = (summary.total_sq - summary.n * mean * mean) / (summary.n - 1)
    return mean, max(0.0, variance)


def estimate_mean(summary: Moments) -> Estimate:
    """Return the mean with its t-interval."""
    mean_and_variance = _mean_and_variance(summary)
    if mean_and_variance is None:
        return Estimate(summary.n, None, None, None)
    mean, variance = mean_and_variance
    if math.isnan(variance):
        return Estimate(summary.n, mean, None, None)
    half = t_quantile(0.975, summary.n - 1) * math.sqrt(variance / summary.n)
    return Estimate(summary.n, mean, mean - half, mean + half)


def order_statistic(frequencies: Frequencies, rank: int) -> float:
    """Return the ``rank``-th smallest value (1-based) of a frequency table."""
    seen = 0
    for value, count in zip(frequencies.values, frequencies.counts, strict=True):
        seen += count
        if seen >= rank:
            return value
    raise ValueError("rank beyond the number of observations")


def median_interval_ranks(n: int) -> tuple[int, int] | None:
    """Return the 1-based ranks of the distribution-free 95% interval for a median.

    The interval [x_(l), x_(n-l+1)] covers the median with probability
    1 - 2 P(B <= l - 1), B ~ Binomial(n, 1/2); l is the largest rank keeping that at
    least 95%. Samples smaller than 6 cannot reach 95% and have no interval.
    """
    if n < 6:
        return None
    if n > EXACT_MEDIAN_RANKS_UP_TO:
        lower = math.floor(n / 2 - Z_95 * math.sqrt(n) / 2)
        return lower, n - lower + 1
    lower = max(1, math.floor(n / 2 - Z_95 * math.sqrt(n) / 2) - 2)
    while lower > 1 and binomial_cdf(lower - 1, n, 0.5) > 0.025:
        lower -= 1
    while binomial_cdf(lower, n, 0.5) <= 0.025:
        lower += 1
    return lower, n - lower + 1


def estimate_median(frequencies: Frequencies) -> Estimate:
    """Return the median with its order-statistic (binomial) interval."""
    n = frequencies.n
    if n <= 0:
        return Estimate(0, None, None, None)
    middle_low = order_statistic(frequencies, (n + 1) // 2)
    middle_high = order_statistic(frequencies, n // 2 + 1)
    median = (middle_low + middle_high) / 2
    ranks = median_interval_ranks(n)
    if ranks is None:
        return Estimate(n, median, None, None)
    return Estimate(
        n, median, order_statistic(frequencies, ranks[0]), order_statistic(frequencies, ranks[1])
    )


def fisher_exact_p(events_a: int, n_a: int, events_b: int, n_b: int) -> float:
    """Return the two-sided Fisher exact p-value (sum of tables no more likely than observed)."""
    population = n_a + n_b
    successes = events_a + events_b
    low = max(0, n_a - (population - successes))
    high = min(n_a, successes)
    observed = hypergeometric_log_pmf(events_a, population, successes, n_a)
    total = 0.0
    for k in range(low, high + 1):
        log_p = hypergeometric_log_pmf(k, population, successes, n_a)
        # The tolerance keeps tables tied with the observed one in floating point.
        if log_p <= observed + 1e-7:
            total += math.exp(log_p)
    return min(1.0, total)


def compare_proportions(group: Proportion, reference: Proportion) -> float | None:
    """Return the two-sided p-value comparing two rates.

    A pooled two-proportion z-test, or Fisher's exact test when any expected count of
    the 2x2 table falls below five.
    """
    n_a, n_b = group.n, reference.n
    if n_a <= 0 or n_b <= 0:
        return None
    events = group.events + reference.events
    total = n_a + n_b
    expected = [
        n_a * events / total,
        n_a * (total - events) / total,
        n_b * events / total,
        n_b * (total - events) / total,
    ]
    if min(expected) < FISHER_EXPECTED_BELOW:
        return fisher_exact_p(group.events, n_a, reference.events, n_b)
    pooled = events / total
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 1.0
    return normal_two_sided_p((group.events / n_a - reference.events / n_b) / se)


def compare_session_rates(group: SessionTally, reference: SessionTally) -> float | None:
    """Return the two-sided p-value of a z-test on pooled no-show rates with robust variances."""
    a = _session_rate_and_variance(group)
    b = _session_rate_and_variance(reference)
    if a is None or b is None:
        return None
    se = math.sqrt(a[1] + b[1])
    if se == 0:
        return 1.0 if a[0] == b[0] else 0.0
    return normal_two_sided_p((a[0] - b[0]) / se)


def welch_t_test(group: Moments, reference: Moments) -> float | None:
    """Return the two-sided p-value of Welch's unequal-variance t-test."""
    a = _mean_and_variance(group)
    b = _mean_and_variance(reference)
    if a is None or b is None or math.isnan(a[1]) or math.isnan(b[1]):
        return None
    va, vb = a[1] / group.n, b[1] / reference.n
    se2 = va + vb
    if se2 == 0:
        return 1.0 if a[0] == b[0] else 0.0
    denominator = va * va / (group.n - 1) + vb * vb / (reference.n - 1)
    df = se2 * se2 / denominator if denominator > 0 else math.nan
    if not math.isfinite(df) or df <= 0:
        # Variances so small they underflow: the pooled degrees of freedom are the safe bound.
        df = float(group.n + reference.n - 2)
    t = (a[0] - b[0]) / math.sqrt(se2)
    if math.isnan(t):
        return None
    return t_two_sided_p(t, df)


def mann_whitney_p(group: Frequencies, reference: Frequencies) -> float | None:
    """Return the two-sided Mann-Whitney U p-value from two frequency tables.

    Normal approximation with the tie correction and a continuity correction of 0.5
    (equal to SciPy's ``method="asymptotic"``); waiting times in days have many ties,
    for which the exact distribution does not apply anyway.
    """
    n_a, n_b = group.n, reference.n
    if n_a <= 0 or n_b <= 0:
        return None
    counts_a = dict(zip(group.values, group.counts, strict=True))
    counts_b = dict(zip(reference.values, reference.counts, strict=True))
    total = n_a + n_b
    rank_sum_a = 0.0
    tie_term = 0.0
    below = 0
    for value in sorted(set(counts_a) | set(counts_b)):
        in_a = counts_a.get(value, 0)
        tied = in_a + counts_b.get(value, 0)
        midrank = below + (tied + 1) / 2
        rank_sum_a += in_a * midrank
        tie_term += tied**3 - tied
        below += tied
    u = rank_sum_a - n_a * (n_a + 1) / 2
    mean_u = n_a * n_b / 2
    variance = n_a * n_b / 12 * ((total + 1) - tie_term / (total * (total - 1)))
    if variance <= 0:
        return 1.0
    distance = max(0.0, abs(u - mean_u) - 0.5)
    return normal_two_sided_p(distance / math.sqrt(variance))


def estimate_count_rate(summary: Exposure, per: int = PER_WORDS) -> Estimate:
    """Return events per ``per`` units of exposure with the exact Poisson interval.

    The count of findings is taken as Poisson given the words written; the interval is
    Garwood's (exact, defined at zero findings too), scaled by the words.
    """
    if summary.n <= 0 or summary.exposure <= 0:
        return Estimate(summary.n, None, None, None)
    scale = per / summary.exposure
    low, high = poisson_interval(summary.events)
    return Estimate(summary.n, summary.events * scale, low * scale, high * scale)


def compare_count_rates(group: Exposure, reference: Exposure) -> float | None:
    """Return the two-sided p-value of the conditional binomial test of two Poisson rates.

    Given the findings of both groups together, under equal rates the group's share of them
    is binomial with the group's share of the words; the p-value doubles the smaller tail
    (capped at one).  With no findings in either group there is nothing to tell them apart.
    """
    if group.exposure <= 0 or reference.exposure <= 0:
        return None
    total = group.events + reference.events
    if total == 0:
        return 1.0
    share = group.exposure / (group.exposure + reference.exposure)
    lower_tail = binomial_cdf(group.events, total, share)
    upper_tail = binomial_cdf(total - group.events, total, 1.0 - share)
    return min(1.0, 2.0 * min(lower_tail, upper_tail))


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Return Benjamini-Hochberg adjusted p-values (q-values) in the input order."""
    m = len(p_values)
    if m == 0:
        return []
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running_min = 1.0
    for position in range(m - 1, -1, -1):
        index = order[position]
        running_min = min(running_min, p_values[index] * m / (position + 1))
        adjusted[index] = min(1.0, running_min)
    return adjusted
