"""The equity metrics: their names, kinds and the wording used to describe them.

Each metric has a kind that fixes its sufficient statistic, interval and test:

- ``rate``: events among a denominator; Wilson interval; two-proportion z or Fisher test.
- ``session_rate``: missed among scheduled sessions, clustered by episode; Wilson interval
  on the effective sample size; z-test with cluster-robust variances.
- ``mean``: t-interval; Welch's t-test.
- ``median``: order-statistic interval; Mann-Whitney U test.
- ``count_rate``: events per 1,000 units of exposure (stigmatizing findings per 1,000 words of
  notes); exact Poisson interval; conditional binomial test of the two counts given exposure.

A metric whose data an input lacks (an episode file without the optional note columns) is
left out of that report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MetricKind = Literal["rate", "session_rate", "mean", "median", "count_rate"]


@dataclass(frozen=True)
class Metric:
    """One metric and the words a plain-language summary uses for it.

    ``comparison`` completes "<group> <comparison> 1.9 times as ..." and ``unit``
    formats its values.
    """

    name: str
    kind: MetricKind
    title: str
    denominator: str
    comparison: str
    unit: Literal["percent", "days", "points", "per_1000_words"]


METRICS: tuple[Metric, ...] = (
    Metric(
        "never_seen_rate",
        "rate",
        "Never seen after referral",
        "all episodes",
        "were never seen after referral",
        "percent",
    ),
    Metric(
        "days_to_first_session",
        "median",
        "Days from referral to first session (median)",
        "episodes with a first session",
        "waited for a first session",
        "days",
    ),
    Metric(
        "no_show_rate",
        "session_rate",
        "Scheduled sessions missed",
        "episodes with a first session and scheduled sessions",
        "missed scheduled sessions",
        "percent",
    ),
    Metric(
        "dropout_rate",
        "rate",
        "Dropped out of therapy",
        "episodes with at least one attended session",
        "left therapy early",
        "percent",
    ),
    Metric(
        "phq9_reliable_improvement_rate",
        "rate",
        "Reliable improvement in depression (PHQ-9 down by 6 or more)",
        "episodes with a first and last PHQ-9",
        "improved reliably on the PHQ-9",
        "percent",
    ),
    Metric(
        "gad7_reliable_improvement_rate",
        "rate",
        "Reliable improvement in anxiety (GAD-7 down by 4 or more)",
        "episodes with a first and last GAD-7",
        "improved reliably on the GAD-7",
        "percent",
    ),
    Metric(
        "recovery_rate",
        "rate",
        "Recovery (from PHQ-9 10+ or GAD-7 8+ to both below)",
        "episodes above a threshold at first with all four scores",
        "recovered",
        "percent",
    ),
    Metric(
        "humility_mean",
        "mean",
        "Cultural humility as rated by clients (mean, 0-100)",
        "episodes with a humility rating",
        "rated their therapist's cultural humility",
        "points",
    ),
    Metric(
        "alliance_mean",
        "mean",
        "Working alliance as rated by clients (mean, 0-100)",
        "episodes with an alliance rating",
        "rated the working alliance",
        "points",
    ),
    Metric(
        "stigmatizing_per_1000_words",
        "count_rate",
        "Stigmatizing language in session notes (flagged passages per 1,000 words)",
        "clients with session notes",
        "had stigmatizing language flagged in their notes",
        "per_1000_words",
    ),
    Metric(
        "invitation_unreached_rate",
        "session_rate",
        "Check-in invitations that reached no one (every message failed or was refused)",
        "clients sent check-in invitations",
        "were not reached by check-in invitations",
        "percent",
    ),
    Metric(
        "sms_opt_out_rate",
        "rate",
        "Opted out of texts (texted STOP)",
        "clients who agreed to texts and have a number",
        "opted out of texts",
        "percent",
    ),
)

METRICS_BY_NAME: dict[str, Metric] = {metric.name: metric for metric in METRICS}

# Thresholds of the metric definitions (PHQ-9 and GAD-7 reliable change and caseness).
PHQ9_RELIABLE_DROP = 6
GAD7_RELIABLE_DROP = 4
PHQ9_CASENESS = 10
GAD7_CASENESS = 8

# The count-rate metric's scale: findings per this many words.
PER_WORDS = 1000
