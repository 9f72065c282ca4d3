"""Build the equity report: estimates, comparisons, Benjamini-Hochberg and suppression.

``report_from_statistics`` works on group-level sufficient statistics only, so the
same code serves an episode file (through ``build_report``) and aggregates computed
by the database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from attune.equity import schema, stats
from attune.equity.errors import EquityInputError
from attune.equity.metrics import METRICS, Metric
from attune.equity.summaries import (
    AttributeSummaries,
    EquityStatistics,
    Exposure,
    Frequencies,
    Moments,
    Proportion,
    SessionTally,
    Summary,
    summary_size,
)
from attune.equity.suppression import (
    MINIMUM_CELL,
    CellKey,
    Line,
    SuppressionInput,
    check_min_cell,
    suppress,
)

if TYPE_CHECKING:
    import polars as pl

SIGNIFICANCE_LEVEL = 0.05


@dataclass(frozen=True)
class MetricRow:
    """One metric for one group of one attribute, as published."""

    metric: str
    attribute: str
    group: str
    n: int | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    reference_group: str
    ratio: float | None
    difference: float | None
    p_value: float | None
    q_value: float | None
    significant: bool
    suppressed: bool


@dataclass(frozen=True)
class Report:
    """The whole report: every row, plus what the summary needs to say how it was made."""

    n_episodes: int
    rows: tuple[MetricRow, ...]
    min_cell: int
    n_tests: int

    def to_json_dict(self) -> dict[str, Any]:
        """Return the report in its published JSON shape."""
        return {"n_episodes": self.n_episodes, "metrics": [asdict(row) for row in self.rows]}

    def reference_row(self, row: MetricRow) -> MetricRow | None:
        """Return the row of ``row``'s reference group for the same metric and attribute."""
        for other in self.rows:
            if (
                other.metric == row.metric
                and other.attribute == row.attribute
                and other.group == row.reference_group
            ):
                return other
        return None


def parse_intersections(values: Sequence[str]) -> list[tuple[str, str]]:
    """Parse ``"a,b"`` strings into attribute pairs; raise EquityInputError otherwise."""
    pairs = []
    for value in values:
        names = [name.strip() for name in value.split(",")]
        if len(names) != 2 or not all(names) or names[0] == names[1]:
            raise EquityInputError(
                f"--intersect {value!r}: give two different attribute names as a,b"
            )
        pairs.append((names[0], names[1]))
    return pairs


def parse_references(values: Sequence[str]) -> dict[str, str]:
    """Parse ``"attribute=group"`` strings into a mapping; raise EquityInputError otherwise."""
    references: dict[str, str] = {}
    for value in values:
        attribute, separator, group = value.partition("=")
        if not separator or not attribute.strip() or not group.strip():
            raise EquityInputError(f"--reference {value!r}: give it as attribute=group")
        references[attribute.strip()] = group.strip()
    return references


def build_report(
    episodes: pl.DataFrame,
    *,
    intersect: Sequence[tuple[str, str]] = (),
    reference: Mapping[str, str] | None = None,
    min_cell: int = MINIMUM_CELL,
) -> Report:
    """Return the equity report of a validated episode frame (see ``load_episodes``)."""
    _check_min_cell(min_cell)
    from attune.equity.collect import collect_statistics

    statistics = collect_statistics(episodes, intersect=intersect)
    return report_from_statistics(statistics, reference=reference, min_cell=min_cell)


def report_from_statistics(
    statistics: EquityStatistics,
    *,
    reference: Mapping[str, str] | None = None,
    min_cell: int = MINIMUM_CELL,
) -> Report:
    """Return the equity report from group-level sufficient statistics."""
    _check_min_cell(min_cell)
    # An attribute nobody has a value for (possible from a database) has nothing to show.
    attributes = [attribute for attribute in statistics.attributes if attribute.groups]
    references = _choose_references(attributes, reference or {})
    metrics = available_metrics(attributes)
    hidden = suppress(_suppression_input(attributes, metrics), min_cell=min_cell)

    draft: list[dict[str, Any]] = []
    for metric in metrics:
        for attribute in attributes:
            reference_group = references[attribute.name]
            reference_summary = attribute.groups[reference_group].metrics[metric.name]
            reference_key = (metric.name, attribute.name, reference_group)
            reference_estimate = _estimate(metric, reference_summary)
            for group_name in _ordered_groups(attribute):
                key = (metric.name, attribute.name, group_name)
                summary = attribute.groups[group_name].metrics[metric.name]
                draft.append(
                    _row(
                        metric,
                        attribute.name,
                        group_name,
                        summary,
                        suppressed=key in hidden,
                        reference_group=reference_group,
                        reference_summary=reference_summary,
                        reference_estimate=reference_estimate,
                        reference_hidden=reference_key in hidden,
                    )
                )

    tested = [index for index, row in enumerate(draft) if row["p_value"] is not None]
    q_values = stats.benjamini_hochberg([draft[index]["p_value"] for index in tested])
    for index, q_value in zip(tested, q_values, strict=True):
        draft[index]["q_value"] = q_value
        draft[index]["significant"] = q_value < SIGNIFICANCE_LEVEL
    return Report(
        n_episodes=statistics.n_episodes,
        rows=tuple(MetricRow(**row) for row in draft),
        min_cell=min_cell,
        n_tests=len(tested),
    )


def available_metrics(attributes: Sequence[AttributeSummaries]) -> tuple[Metric, ...]:
    """Return the metrics every group has statistics for, in ``METRICS`` order.

    Documentation language is there only when the source has notes (see ``metric_summaries``).
    """
    return tuple(
        metric
        for metric in METRICS
        if all(
            metric.name in group.metrics
            for attribute in attributes
            for group in attribute.groups.values()
        )
    )


def _check_min_cell(min_cell: int) -> None:
    try:
        check_min_cell(min_cell)
    except ValueError as error:
        raise EquityInputError(f"--min-cell {min_cell}: {error}") from None


def _choose_references(
    attributes: Sequence[AttributeSummaries], requested: Mapping[str, str]
) -> dict[str, str]:
    by_name = {attribute.name: attribute for attribute in attributes}
    for attribute_name, group in requested.items():
        if attribute_name not in by_name:
            raise EquityInputError(
                f"--reference {attribute_name}={group}: no attribute {attribute_name!r} "
                f"(attributes: {', '.join(by_name) or 'none'})"
            )
        if group not in by_name[attribute_name].groups:
            raise EquityInputError(
                f"--reference {attribute_name}={group}: no group {group!r} in {attribute_name} "
                f"(groups: {', '.join(_ordered_groups(by_name[attribute_name]))})"
            )
    chosen = {}
    for attribute in attributes:
        if attribute.name in requested:
            chosen[attribute.name] = requested[attribute.name]
        else:
            chosen[attribute.name] = default_reference(attribute)
    return chosen


def default_reference(attribute: AttributeSummaries) -> str:
    """Return the group others are compared with unless one is asked for: the largest.

    The largest group gives the steadiest comparison. "Not disclosed" is a reference only
    when no group that answered exists: it mixes people of every group, so a gap against it
    would say little about any of them.
    """
    groups = list(attribute.groups.values())
    disclosed = [group for group in groups if schema.NOT_DISCLOSED not in group.parts]
    return min(disclosed or groups, key=lambda group: (-group.episodes, group.name)).name


def _ordered_groups(attribute: AttributeSummaries) -> list[str]:
    # Alphabetical, "not disclosed" last: ordering by size would hint at suppressed sizes.
    return sorted(
        attribute.groups,
        key=lambda name: (schema.NOT_DISCLOSED in attribute.groups[name].parts, name.casefold()),
    )


def _suppression_input(
    attributes: Sequence[AttributeSummaries], metrics: Sequence[Metric] = METRICS
) -> SuppressionInput:
    counts: dict[CellKey, int] = {}
    lines: list[Line] = []
    implied: dict[CellKey, tuple[CellKey, ...]] = {}
    published_groups = {attribute.name: set(attribute.groups) for attribute in attributes}
    for attribute in attributes:
        for group in attribute.groups.values():
            for metric in metrics:
                counts[(metric.name, attribute.name, group.name)] = summary_size(
                    group.metrics[metric.name]
                )
            implied[("never_seen_rate", attribute.name, group.name)] = (
                ("days_to_first_session", attribute.name, group.name),
            )
    for metric in metrics:
        for attribute in attributes:
            groups = list(attribute.groups.values())
            lines.append(Line(tuple((metric.name, attribute.name, g.name) for g in groups)))
            if len(attribute.components) < 2:
                continue
            for position, component in enumerate(attribute.components):
                by_part: dict[str, list[CellKey]] = {}
                for group in groups:
                    by_part.setdefault(group.parts[position], []).append(
                        (metric.name, attribute.name, group.name)
                    )
                for part, keys in by_part.items():
                    total = (
                        (metric.name, component, part)
                        if part in published_groups.get(component, set())
                        else None
                    )
                    lines.append(Line(tuple(keys), total))
    return SuppressionInput(counts=counts, lines=tuple(lines), implied_counts=implied)


def _estimate(metric: Metric, summary: Summary) -> stats.Estimate:
    if metric.kind == "rate":
        assert isinstance(summary, Proportion)
        return stats.estimate_proportion(summary)
    if metric.kind == "session_rate":
        assert isinstance(summary, SessionTally)
        return stats.estimate_session_rate(summary)
    if metric.kind == "mean":
        assert isinstance(summary, Moments)
        return stats.estimate_mean(summary)
    if metric.kind == "count_rate":
        assert isinstance(summary, Exposure)
        return stats.estimate_count_rate(summary)
    assert isinstance(summary, Frequencies)
    return stats.estimate_median(summary)


def _p_value(metric: Metric, group: Summary, reference: Summary) -> float | None:
    if metric.kind == "rate":
        assert isinstance(group, Proportion) and isinstance(reference, Proportion)
        return stats.compare_proportions(group, reference)
    if metric.kind == "session_rate":
        assert isinstance(group, SessionTally) and isinstance(reference, SessionTally)
        return stats.compare_session_rates(group, reference)
    if metric.kind == "mean":
        assert isinstance(group, Moments) and isinstance(reference, Moments)
        return stats.welch_t_test(group, reference)
    if metric.kind == "count_rate":
        assert isinstance(group, Exposure) and isinstance(reference, Exposure)
        return stats.compare_count_rates(group, reference)
    assert isinstance(group, Frequencies) and isinstance(reference, Frequencies)
    return stats.mann_whitney_p(group, reference)


def _row(
    metric: Metric,
    attribute: str,
    group: str,
    summary: Summary,
    *,
    suppressed: bool,
    reference_group: str,
    reference_summary: Summary,
    reference_estimate: stats.Estimate,
    reference_hidden: bool,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "metric": metric.name,
        "attribute": attribute,
        "group": group,
        "n": None,
        "value": None,
        "ci_low": None,
        "ci_high": None,
        "reference_group": reference_group,
        "ratio": None,
        "difference": None,
        "p_value": None,
        "q_value": None,
        "significant": False,
        "suppressed": suppressed,
    }
    if suppressed:
        return row
    estimate = _estimate(metric, summary)
    row.update(n=estimate.n, value=estimate.value, ci_low=estimate.ci_low, ci_high=estimate.ci_high)
    reference_value = reference_estimate.value
    if estimate.value is None or reference_hidden or reference_value is None:
        return row
    # A published ratio against a hidden reference would reveal the reference's value.
    row["difference"] = estimate.value - reference_value
    ratio = estimate.value / reference_value if reference_value != 0 else math.inf
    row["ratio"] = ratio if math.isfinite(ratio) else None
    if group != reference_group:
        row["p_value"] = _p_value(metric, summary, reference_summary)
    return row
