"""Turn a validated episode frame into group-level sufficient statistics with polars."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from attune.equity import schema
from attune.equity.episodes import attribute_columns, has_notes
from attune.equity.errors import EquityInputError
from attune.equity.metrics import (
    GAD7_CASENESS,
    GAD7_RELIABLE_DROP,
    PHQ9_CASENESS,
    PHQ9_RELIABLE_DROP,
)
from attune.equity.summaries import (
    AGGREGATE_FIELDS,
    NOTE_AGGREGATE_FIELDS,
    AttributeSummaries,
    EquityStatistics,
    GroupSummaries,
    combine,
    metric_summaries,
)


def split_groups(value: str | None) -> tuple[str, ...]:
    """Return the groups one attribute value names.

    Values are separated by ``;`` and trimmed; repeats count once; an empty cell is the
    group "not disclosed".
    """
    groups: list[str] = []
    for part in (value or "").split(schema.VALUE_SEPARATOR):
        part = part.strip()
        if part and part not in groups:
            groups.append(part)
    return tuple(groups) or (schema.NOT_DISCLOSED,)


def _episode_measures() -> list[pl.Expr]:
    """Return the per-episode indicators and values every aggregate is a sum of."""
    first = pl.col(schema.FIRST_SESSION_DATE)
    seen = first.is_not_null()
    scheduled = pl.col(schema.SESSIONS_SCHEDULED)
    attended = pl.col(schema.SESSIONS_ATTENDED)
    counts_known = seen & scheduled.is_not_null() & attended.is_not_null() & (scheduled > 0)
    engaged = (attended >= 1).fill_null(False)
    phq_first, phq_last = pl.col(schema.PHQ9_FIRST), pl.col(schema.PHQ9_LAST)
    gad_first, gad_last = pl.col(schema.GAD7_FIRST), pl.col(schema.GAD7_LAST)
    phq_pair = phq_first.is_not_null() & phq_last.is_not_null()
    gad_pair = gad_first.is_not_null() & gad_last.is_not_null()
    case = phq_pair & gad_pair & ((phq_first >= PHQ9_CASENESS) | (gad_first >= GAD7_CASENESS))

    def flag(condition: pl.Expr, name: str) -> pl.Expr:
        return condition.fill_null(False).cast(pl.Int32).alias(name)

    return [
        flag(~seen, "never_seen"),
        (first - pl.col(schema.REFERRAL_DATE)).dt.total_days().alias("wait_days"),
        pl.when(counts_known).then(scheduled).cast(pl.Float64).alias("scheduled"),
        pl.when(counts_known).then(scheduled - attended).cast(pl.Float64).alias("missed"),
        flag(engaged, "engaged"),
        flag(engaged & (pl.col(schema.END_REASON) == "dropped_out"), "dropped_out"),
        flag(phq_pair, "phq9_pairs"),
        flag(phq_pair & (phq_first - phq_last >= PHQ9_RELIABLE_DROP), "phq9_improved"),
        flag(gad_pair, "gad7_pairs"),
        flag(gad_pair & (gad_first - gad_last >= GAD7_RELIABLE_DROP), "gad7_improved"),
        flag(case, "cases"),
        flag(case & (phq_last < PHQ9_CASENESS) & (gad_last < GAD7_CASENESS), "recovered"),
        pl.col(schema.HUMILITY_MEAN).alias("humility"),
        pl.col(schema.ALLIANCE_MEAN).alias("alliance"),
    ]


def _note_measures() -> list[pl.Expr]:
    """Return an episode's note words and findings, null unless it has words of notes."""
    words = pl.col(schema.NOTE_WORDS)
    with_notes = (words > 0).fill_null(False)
    return [
        pl.when(with_notes).then(words).cast(pl.Float64).alias("note_words"),
        pl.when(with_notes)
        .then(pl.col(schema.NOTE_FINDINGS))
        .cast(pl.Float64)
        .alias("note_findings"),
    ]


def _note_aggregations() -> list[pl.Expr]:
    """Return one expression per name in ``NOTE_AGGREGATE_FIELDS``, in that order."""
    aggregations = [
        pl.col("note_words").count().alias("note_clients"),
        pl.col("note_words").sum(),
        pl.col("note_findings").sum(),
    ]
    assert tuple(e.meta.output_name() for e in aggregations) == NOTE_AGGREGATE_FIELDS
    return aggregations


def _aggregations() -> list[pl.Expr]:
    """Return one expression per name in ``AGGREGATE_FIELDS``, in that order."""
    scheduled, missed = pl.col("scheduled"), pl.col("missed")
    aggregations = [
        pl.len().alias("episodes"),
        pl.col("never_seen").sum(),
        scheduled.count().alias("no_show_episodes"),
        scheduled.sum().alias("scheduled"),
        missed.sum().alias("missed"),
        (scheduled * scheduled).sum().alias("scheduled_sq"),
        (missed * missed).sum().alias("missed_sq"),
        (scheduled * missed).sum().alias("scheduled_missed"),
    ]
    for name in (
        "engaged",
        "dropped_out",
        "phq9_pairs",
        "phq9_improved",
        "gad7_pairs",
        "gad7_improved",
        "cases",
        "recovered",
    ):
        aggregations.append(pl.col(name).sum())
    for name in ("humility", "alliance"):
        aggregations += [
            pl.col(name).count().alias(f"{name}_n"),
            pl.col(name).sum().alias(f"{name}_sum"),
            (pl.col(name) * pl.col(name)).sum().alias(f"{name}_sum_sq"),
        ]
    assert tuple(e.meta.output_name() for e in aggregations) == AGGREGATE_FIELDS
    return aggregations


def collect_statistics(
    episodes: pl.DataFrame, *, intersect: Sequence[tuple[str, str]] = ()
) -> EquityStatistics:
    """Compute every group's sufficient statistics from a validated episode frame.

    ``intersect`` adds, for each pair ``(a, b)``, the attribute ``a+b`` whose groups are
    every combination a person selected (``Woman+Spanish``).

    The frame is aggregated by the raw attribute text (``"English;Spanish"`` is one
    key), and the few distinct keys are then split and added into every group they
    name: the statistics are sums, so this equals counting each person in each group
    without copying a row per selection.
    """
    attributes = attribute_columns(episodes)
    for pair in intersect:
        if len(pair) != 2 or pair[0] == pair[1]:
            raise EquityInputError(f"cannot intersect {pair!r}: give two different attributes")
        for name in pair:
            if name not in attributes:
                raise EquityInputError(
                    f"cannot intersect {'+'.join(pair)}: {name!r} is not an attribute column "
                    f"(attributes: {', '.join(attributes) or 'none'})"
                )
    if not attributes:
        raise EquityInputError(
            "the file has no self-identified attribute columns: add at least one column "
            "besides the required ones (for example gender or language)"
        )
    # One pass over the episodes: every combination of raw attribute values and wait.
    # Each attribute's groups are then sums over this much smaller table.
    # Attribute columns get internal names so one called "episodes" cannot clash.
    internal = {name: f"__attribute_{index}" for index, name in enumerate(attributes)}
    notes = has_notes(episodes)
    measures = _episode_measures() + (_note_measures() if notes else [])
    aggregations = _aggregations() + (_note_aggregations() if notes else [])
    combinations = (
        episodes.lazy()
        .select(measures + [pl.col(name).alias(internal[name]) for name in attributes])
        .group_by([*internal.values(), "wait_days"])
        .agg(aggregations)
        .collect()
        .lazy()
    )
    fields = AGGREGATE_FIELDS + (NOTE_AGGREGATE_FIELDS if notes else ())
    summed = [pl.col(name).sum() for name in fields]
    plans: list[tuple[str, tuple[str, ...]]] = [(name, (name,)) for name in attributes]
    plans += [
        (f"{first}{schema.INTERSECTION_JOINER}{second}", (first, second))
        for first, second in intersect
    ]
    queries = []
    for _name, components in plans:
        keys = [internal[component] for component in components]
        queries.append(combinations.group_by(keys).agg(summed))
        queries.append(
            combinations.filter(pl.col("wait_days").is_not_null())
            .group_by([*keys, "wait_days"])
            .agg(pl.col("episodes").sum().alias("count"))
        )
    collected = pl.collect_all(queries)
    summaries = []
    for index, (name, components) in enumerate(plans):
        totals, waits = collected[2 * index], collected[2 * index + 1]
        columns = tuple(internal[component] for component in components)
        summaries.append(_attribute_summaries(name, components, columns, totals, waits))
    return EquityStatistics(n_episodes=episodes.height, attributes=summaries)


def _combinations(raw_values: Sequence[str | None]) -> list[tuple[str, ...]]:
    """Return every group (as its parts) one row's raw values put a person in."""
    combinations: list[tuple[str, ...]] = [()]
    for value in raw_values:
        combinations = [done + (group,) for done in combinations for group in split_groups(value)]
    return combinations


def _attribute_summaries(
    name: str,
    components: tuple[str, ...],
    keys: tuple[str, ...],
    totals: pl.DataFrame,
    waits: pl.DataFrame,
) -> AttributeSummaries:
    wait_tables: dict[tuple[str | None, ...], list[tuple[float, int]]] = {}
    for row in waits.iter_rows(named=True):
        raw = tuple(row[key] for key in keys)
        wait_tables.setdefault(raw, []).append((float(row["wait_days"]), int(row["count"])))
    attribute = AttributeSummaries(name=name, components=components)
    for row in totals.iter_rows(named=True):
        raw = tuple(row[key] for key in keys)
        partial = metric_summaries(row, sorted(wait_tables.get(raw, [])))
        for parts in _combinations(raw):
            group_name = schema.INTERSECTION_JOINER.join(parts)
            group = attribute.groups.get(group_name)
            if group is None:
                attribute.groups[group_name] = GroupSummaries(
                    name=group_name, parts=parts, episodes=int(row["episodes"]), metrics=partial
                )
            else:
                group.episodes += int(row["episodes"])
                group.metrics = {
                    metric: combine(group.metrics[metric], summary)
                    for metric, summary in partial.items()
                }
    return attribute
