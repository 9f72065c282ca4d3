"""Group-level sufficient statistics: everything the report needs, and nothing per person.

The report is computed in two steps. First, per attribute and group, a few counts and
sums (this module's types), which a polars frame (``attune.equity.collect``) or a SQL
``GROUP BY`` in the database can produce. Second, estimates, intervals, tests, multiple
comparison control and suppression on those figures (``attune.equity.report``), which
never see a row about a person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Proportion:
    """Count of episodes in the denominator and how many had the event."""

    n: int
    events: int


@dataclass(frozen=True)
class SessionTally:
    """Scheduled and missed sessions summed over episodes, with the cross-products.

    The squares and cross-product let the no-show rate carry a cluster-robust variance:
    sessions of one episode are not independent of each other.
    """

    episodes: int
    scheduled: float
    missed: float
    scheduled_sq: float
    missed_sq: float
    scheduled_missed: float


@dataclass(frozen=True)
class Moments:
    """Count, sum and sum of squares of a score, enough for a mean and its variance."""

    n: int
    total: float
    total_sq: float


@dataclass(frozen=True)
class Frequencies:
    """Distinct values in ascending order with how often each occurs (enough for a median).

    Waiting times are whole days, so a frequency table is small and exact: it supports the
    median, its order-statistic interval and the Mann-Whitney test without the raw rows.
    """

    values: tuple[float, ...]
    counts: tuple[int, ...]

    @property
    def n(self) -> int:
        """Return the number of observations."""
        return sum(self.counts)


@dataclass(frozen=True)
class Exposure:
    """Events over an exposure, summed over the people who have any exposure.

    For documentation language: ``n`` clients with notes, ``events`` stigmatizing findings
    and ``exposure`` words, summed over their notes.
    """

    n: int
    events: int
    exposure: int


Summary = Proportion | SessionTally | Moments | Frequencies | Exposure


def combine(first: Summary, second: Summary) -> Summary:
    """Return the statistics of two disjoint sets of episodes taken together."""
    if isinstance(first, Proportion) and isinstance(second, Proportion):
        return Proportion(first.n + second.n, first.events + second.events)
    if isinstance(first, SessionTally) and isinstance(second, SessionTally):
        return SessionTally(
            episodes=first.episodes + second.episodes,
            scheduled=first.scheduled + second.scheduled,
            missed=first.missed + second.missed,
            scheduled_sq=first.scheduled_sq + second.scheduled_sq,
            missed_sq=first.missed_sq + second.missed_sq,
            scheduled_missed=first.scheduled_missed + second.scheduled_missed,
        )
    if isinstance(first, Moments) and isinstance(second, Moments):
        return Moments(
            first.n + second.n, first.total + second.total, first.total_sq + second.total_sq
        )
    if isinstance(first, Exposure) and isinstance(second, Exposure):
        return Exposure(
            first.n + second.n, first.events + second.events, first.exposure + second.exposure
        )
    if isinstance(first, Frequencies) and isinstance(second, Frequencies):
        merged: dict[float, int] = dict(zip(first.values, first.counts, strict=True))
        for value, count in zip(second.values, second.counts, strict=True):
            merged[value] = merged.get(value, 0) + count
        ordered = sorted(merged.items())
        return Frequencies(
            tuple(value for value, _ in ordered), tuple(count for _, count in ordered)
        )
    raise TypeError(f"cannot combine {type(first).__name__} with {type(second).__name__}")


def summary_size(summary: Summary) -> int:
    """Return the number of episodes a summary describes (the metric's denominator)."""
    if isinstance(summary, SessionTally):
        return summary.episodes
    return summary.n


@dataclass
class GroupSummaries:
    """The sufficient statistics of one group of one attribute.

    ``parts`` names the component groups of an intersection (``("Woman", "Spanish")``)
    and is a one-element tuple for a plain attribute. ``episodes`` counts the group's
    episodes and chooses the default reference group.
    """

    name: str
    parts: tuple[str, ...]
    episodes: int
    metrics: dict[str, Summary] = field(default_factory=dict)


@dataclass
class AttributeSummaries:
    """All groups of one attribute; ``components`` lists the attributes an intersection joins."""

    name: str
    components: tuple[str, ...]
    groups: dict[str, GroupSummaries] = field(default_factory=dict)


@dataclass
class EquityStatistics:
    """Everything ``report_from_statistics`` needs: the episode count and every attribute."""

    n_episodes: int
    attributes: list[AttributeSummaries]


# The sums one group needs, by name: what a SQL GROUP BY (or the polars path) returns
# for each group before ``metric_summaries`` turns them into the types above.
AGGREGATE_FIELDS: tuple[str, ...] = (
    "episodes",  # every episode
    "never_seen",  # episodes with no first_session_date
    "no_show_episodes",  # seen, with sessions_scheduled > 0 and both counts given
    "scheduled",  # over no_show_episodes: sum of sessions_scheduled
    "missed",  # ... sum of (sessions_scheduled - sessions_attended)
    "scheduled_sq",  # ... sum of scheduled squared
    "missed_sq",  # ... sum of missed squared
    "scheduled_missed",  # ... sum of scheduled times missed
    "engaged",  # episodes with sessions_attended >= 1
    "dropped_out",  # engaged episodes whose end_reason is dropped_out
    "phq9_pairs",  # episodes with phq9_first and phq9_last
    "phq9_improved",  # pairs where phq9_first - phq9_last >= 6
    "gad7_pairs",  # episodes with gad7_first and gad7_last
    "gad7_improved",  # pairs where gad7_first - gad7_last >= 4
    "cases",  # all four scores, and phq9_first >= 10 or gad7_first >= 8
    "recovered",  # cases with phq9_last < 10 and gad7_last < 8
    "humility_n",  # episodes with humility_mean
    "humility_sum",
    "humility_sum_sq",
    "alliance_n",  # episodes with alliance_mean
    "alliance_sum",
    "alliance_sum_sq",
)


# The optional sums of documentation language, present when the source has notes: the app's
# database always, an episode file only with its ``note_words`` and ``note_findings`` columns.
NOTE_AGGREGATE_FIELDS: tuple[str, ...] = (
    "note_clients",  # episodes with note_words > 0
    "note_words",  # ... sum of note_words
    "note_findings",  # ... sum of note_findings
)


# The optional sums of reach (the app's database only): check-in invitations that reached no
# one, and clients who texted STOP.  Not in an episode file.
REACH_AGGREGATE_FIELDS: tuple[str, ...] = (
    "reach_clients",  # episodes with at least one check-in invitation
    "invitations",  # ... sum of their invitations (check-ins invited by email or text)
    "unreached",  # ... sum of those whose every message failed or was refused
    "invitations_sq",  # ... sum of invitations squared
    "unreached_sq",  # ... sum of unreached squared
    "invitations_unreached",  # ... sum of invitations times unreached
    "sms_clients",  # episodes whose client agreed to texts and has a number
    "sms_opted_out",  # ... of whom texted STOP (and not START since)
)


def metric_summaries(
    aggregates: Mapping[str, object], waits: Sequence[tuple[float, int]]
) -> dict[str, Summary]:
    """Return every metric's sufficient statistics for one group.

    ``aggregates`` holds the ``AGGREGATE_FIELDS`` sums (a missing or null sum is zero), and
    the ``NOTE_AGGREGATE_FIELDS`` when the source has notes (else that metric is left out);
    ``waits`` pairs each whole number of days from referral to first session with how
    many of the group's episodes waited that long.
    """

    def number(name: str) -> float:
        value = aggregates.get(name)
        return float(value) if value is not None else 0.0  # type: ignore[arg-type]

    def count(name: str) -> int:
        return int(number(name))

    table = sorted((float(days), int(amount)) for days, amount in waits)
    summaries: dict[str, Summary] = {
        "never_seen_rate": Proportion(count("episodes"), count("never_seen")),
        "days_to_first_session": Frequencies(
            tuple(days for days, _ in table), tuple(amount for _, amount in table)
        ),
        "no_show_rate": SessionTally(
            episodes=count("no_show_episodes"),
            scheduled=number("scheduled"),
            missed=number("missed"),
            scheduled_sq=number("scheduled_sq"),
            missed_sq=number("missed_sq"),
            scheduled_missed=number("scheduled_missed"),
        ),
        "dropout_rate": Proportion(count("engaged"), count("dropped_out")),
        "phq9_reliable_improvement_rate": Proportion(count("phq9_pairs"), count("phq9_improved")),
        "gad7_reliable_improvement_rate": Proportion(count("gad7_pairs"), count("gad7_improved")),
        "recovery_rate": Proportion(count("cases"), count("recovered")),
        "humility_mean": Moments(
            count("humility_n"), number("humility_sum"), number("humility_sum_sq")
        ),
        "alliance_mean": Moments(
            count("alliance_n"), number("alliance_sum"), number("alliance_sum_sq")
        ),
    }
    if "note_clients" in aggregates:
        summaries["stigmatizing_per_1000_words"] = Exposure(
            count("note_clients"), count("note_findings"), count("note_words")
        )
    if "reach_clients" in aggregates:
        # Invitations are clustered by client, as sessions are: the same tally and variance.
        summaries["invitation_unreached_rate"] = SessionTally(
            episodes=count("reach_clients"),
            scheduled=number("invitations"),
            missed=number("unreached"),
            scheduled_sq=number("invitations_sq"),
            missed_sq=number("unreached_sq"),
            scheduled_missed=number("invitations_unreached"),
        )
        summaries["sms_opt_out_rate"] = Proportion(count("sms_clients"), count("sms_opted_out"))
    return summaries
