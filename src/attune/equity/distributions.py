"""Distribution functions the equity statistics need, in plain Python.

Importing ``scipy.special`` costs about 0.4 s, which is most of the command line's
budget; the handful of functions needed here are short and are checked against
SciPy in the tests.
"""

from __future__ import annotations

import math
from functools import lru_cache

_NORMAL_975 = 1.959963984540054
_EPSILON = 1e-15
_TINY = 1e-300


def normal_cdf(x: float) -> float:
    """Return the standard normal cumulative probability at ``x``."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def normal_two_sided_p(z: float) -> float:
    """Return the two-sided p-value of a standard normal statistic ``z``."""
    return min(1.0, math.erfc(abs(z) / math.sqrt(2.0)))


def normal_quantile(probability: float) -> float:
    """Return the standard normal quantile (Acklam's rational approximation, Newton-polished)."""
    if not 0.0 < probability < 1.0:
        raise ValueError("probability must lie strictly between 0 and 1")
    a = (
        -39.69683028665376,
        220.9460984245205,
        -275.9285104469687,
        138.3577518672690,
        -30.66479806614716,
        2.506628277459239,
    )
    b = (
        -54.47609879822406,
        161.5858368580409,
        -155.6989798598866,
        66.80131188771972,
        -13.28068155288572,
    )
    c = (
        -7.784894002430293e-03,
        -0.3223964580411365,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    )
    d = (7.784695709041462e-03, 0.3224671290700398, 2.445134137142996, 3.754408661907416)
    low = 0.02425
    if probability < low:
        q = math.sqrt(-2 * math.log(probability))
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / (
            (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
        )
    elif probability > 1 - low:
        q = math.sqrt(-2 * math.log(1 - probability))
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / (
            (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
        )
    else:
        q = probability - 0.5
        r = q * q
        x = (
            (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
            * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        )
    # One Halley step brings the approximation to full double precision.
    error = normal_cdf(x) - probability
    u = error * math.sqrt(2 * math.pi) * math.exp(x * x / 2)
    return x - u / (1 + x * u / 2)


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Evaluate the continued fraction of the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = _TINY if abs(d) < _TINY else d
    d = 1.0 / d
    h = d
    # Convergence takes about sqrt(max(a, b)) steps; allow plenty for large samples.
    max_steps = 200 + int(10 * math.sqrt(max(a, b)))
    for m in range(1, max_steps + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1.0 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1.0 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPSILON * 10:
            break
    return h


def regularized_beta(a: float, b: float, x: float) -> float:
    """Return the regularized incomplete beta function I_x(a, b)."""
    if a <= 0 or b <= 0:
        raise ValueError("a and b must be positive")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The continued fraction converges fast only on the side of the mode it is built for.
    if x < (a + 1.0) / (a + b + 2.0):
        return min(1.0, front * _beta_continued_fraction(a, b, x) / a)
    return max(0.0, 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b)


def t_two_sided_p(t: float, df: float) -> float:
    """Return the two-sided p-value of Student's ``t`` with ``df`` degrees of freedom."""
    if df <= 0 or math.isnan(t) or math.isnan(df):
        raise ValueError("degrees of freedom must be positive and t a number")
    if math.isinf(t):
        return 0.0
    return regularized_beta(df / 2.0, 0.5, df / (df + t * t))


def t_cdf(t: float, df: float) -> float:
    """Return Student's t cumulative probability at ``t``."""
    tail = 0.5 * t_two_sided_p(t, df)
    return 1.0 - tail if t > 0 else tail


@lru_cache(maxsize=4096)
def t_quantile(probability: float, df: float) -> float:
    """Return Student's t quantile, by Newton's method from the normal quantile."""
    if not 0.0 < probability < 1.0 or df <= 0:
        raise ValueError("probability must lie in (0, 1) and df be positive")
    if probability == 0.5:
        return 0.0
    upper = probability > 0.5
    p = probability if upper else 1.0 - probability
    z = normal_quantile(p)
    # Cornish-Fisher start, then Newton steps on the t density.
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    x = z + g1 / df + g2 / df**2
    log_norm = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    for _ in range(60):
        density = math.exp(log_norm - (df + 1) / 2 * math.log1p(x * x / df))
        if density <= 0:
            break
        step = (t_cdf(x, df) - p) / density
        x -= step
        if abs(step) < 1e-12 * max(1.0, abs(x)):
            break
    return x if upper else -x


def binomial_cdf(k: int, n: int, p: float) -> float:
    """Return P(B <= k) for B ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return regularized_beta(n - k, k + 1, 1.0 - p)


def regularized_gamma(a: float, x: float) -> float:
    """Return the regularized lower incomplete gamma function P(a, x).

    The series converges fast below ``a + 1``, the continued fraction (modified Lentz)
    above it.  For a whole ``k``, P(k, mu) is the chance that a Poisson(mu) count is k or more.
    """
    if a <= 0:
        raise ValueError("a must be positive")
    if x <= 0.0:
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    max_steps = 500 + int(10 * math.sqrt(a))
    if x < a + 1.0:
        term = total = 1.0 / a
        denominator = a
        for _ in range(max_steps):
            denominator += 1.0
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * _EPSILON:
                break
        return min(1.0, total * math.exp(log_front))
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, max_steps + 1):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPSILON * 10:
            break
    return max(0.0, 1.0 - math.exp(log_front) * h)


def poisson_interval(count: int, level: float = 0.95) -> tuple[float, float]:
    """Return the exact (Garwood) interval for the mean of a Poisson variable seen as ``count``.

    The lower bound solves P(X >= count) = (1 - level) / 2, the upper P(X <= count) = the same;
    both by bisection on the regularized gamma function.
    """
    tail = (1.0 - level) / 2

    def solve(function, target: float) -> float:
        low, high = 0.0, count + 20.0 * math.sqrt(count + 1.0) + 20.0
        for _ in range(200):
            middle = (low + high) / 2
            if function(middle) < target:
                low = middle
            else:
                high = middle
            if high - low <= 1e-12 * max(1.0, high):
                break
        return (low + high) / 2

    lower = 0.0 if count == 0 else solve(lambda mu: regularized_gamma(count, mu), tail)
    upper = solve(lambda mu: regularized_gamma(count + 1, mu), 1.0 - tail)
    return lower, upper


def hypergeometric_log_pmf(k: int, population: int, successes: int, draws: int) -> float:
    """Return log P(X = k) for X ~ Hypergeometric(population, successes, draws)."""
    return (
        _log_choose(successes, k)
        + _log_choose(population - successes, draws - k)
        - _log_choose(population, draws)
    )


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


Z_95 = _NORMAL_975
