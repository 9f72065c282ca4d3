"""Plain-language sentences for the findings unlikely to be chance.

Pure functions of report rows, so the command line's HTML and the leader dashboard
say the same thing in the same words.
"""

from __future__ import annotations

from typing import Protocol

from attune.equity import schema
from attune.equity.metrics import METRICS_BY_NAME, Metric
from attune.equity.report import MetricRow, Report


def format_value(metric: Metric, value: float | None) -> str:
    """Return a value in the metric's unit, for people ("38%", "21 days", "62.1")."""
    if value is None:
        return "not available"
    if metric.unit == "percent":
        return f"{100 * value:.1f}%"
    if metric.unit == "days":
        return f"{value:g} day" if value == 1 else f"{value:g} days"
    if metric.unit == "per_1000_words":
        return f"{value:.2f} per 1,000 words"
    return f"{value:.1f}"


def format_interval(metric: Metric, low: float | None, high: float | None) -> str:
    """Return a 95% interval in the metric's unit, or a note that there is none."""
    if low is None or high is None:
        return "no 95% CI at this size"
    dash = "\N{EN DASH}"
    if metric.unit == "percent":
        return f"95% CI {100 * low:.1f}{dash}{100 * high:.1f}%"
    if metric.unit == "days":
        return f"95% CI {low:g}{dash}{high:g}"
    if metric.unit == "per_1000_words":
        return f"95% CI {low:.2f}{dash}{high:.2f}"
    return f"95% CI {low:.1f}{dash}{high:.1f}"


class Wording(Protocol):
    """How groups are named: a short label for tables, and who they are in a sentence.

    The command line names groups as its file does (``PlainWording``); the dashboard uses the
    vocabulary's labels (``attune.equity.labels``).
    """

    def attribute(self, attribute: str) -> str:
        """Return an attribute or intersection in words ("race and ethnicity")."""
        ...

    def group(self, attribute: str, group: str) -> str:
        """Return a group's short label ("Hispanic or Latino")."""
        ...

    def clients(self, attribute: str, group: str) -> str:
        """Return who a group is ("clients who identify as Hispanic or Latino")."""
        ...


class PlainWording:
    """Groups named by the values of an episode file, as the file gives them."""

    def attribute(self, attribute: str) -> str:
        return " and ".join(attribute.split(schema.INTERSECTION_JOINER))

    def group(self, attribute: str, group: str) -> str:
        return group

    def clients(self, attribute: str, group: str) -> str:
        return describe_group(attribute, group)


PLAIN = PlainWording()


def describe_group(attribute: str, group: str) -> str:
    """Return who a group is, in the file's own words ("clients whose language includes es")."""
    components = attribute.split(schema.INTERSECTION_JOINER)
    parts = group.split(schema.INTERSECTION_JOINER)
    if len(components) != len(parts):
        components, parts = [attribute], [group]
    clauses = []
    for component, part in zip(components, parts, strict=True):
        if part == schema.NOT_DISCLOSED:
            clauses.append(f"who did not disclose their {component}")
        else:
            clauses.append(f"whose {component} includes {part}")
    return "clients " + " and ".join(clauses)


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def format_q(q_value: float | None) -> str:
    """Return a q-value for a sentence ("q = 0.012", "q < 0.001")."""
    if q_value is None:
        return "q not computed"
    return "q < 0.001" if q_value < 0.001 else f"q = {q_value:.3f}"


def _times(ratio: float | None) -> str:
    """Return how many times as often, for a rate above the reference's ("3.2 times")."""
    if ratio is None:
        return ""
    if abs(ratio - 2) < 0.05:
        return " (twice as often)"
    return f" ({ratio:.1f} times as often)"


def describe_finding(
    row: MetricRow, reference: MetricRow, n_tests: int, wording: Wording = PLAIN
) -> str:
    """Return one plain sentence on a group's gap against its reference group.

    It says who, what, how large the gap is and against whom, then that the gap is unlikely to
    be chance with its q-value (the p-value adjusted for the ``n_tests`` comparisons made,
    which the page around the sentences states once).
    """
    metric = METRICS_BY_NAME[row.metric]
    who = _sentence_case(wording.clients(row.attribute, row.group))
    whom = f"{wording.clients(reference.attribute, reference.group)} (the reference group)"
    value = format_value(metric, row.value)
    against = format_value(metric, reference.value)
    difference = row.difference or 0.0
    if metric.kind == "mean":
        direction = "higher" if difference > 0 else "lower"
        sentence = (
            f"{who} {metric.comparison} {abs(difference):.1f} points {direction} on average "
            f"than {whom}: {value} against {against}, out of 100"
        )
    elif metric.kind == "median" and difference == 0:
        sentence = (
            f"{who} {metric.comparison} as long as {whom} at the median ({value}), but their "
            "waits are spread differently"
        )
    elif metric.kind == "median":
        direction = "longer" if difference > 0 else "less"
        days = format_value(metric, abs(difference))
        sentence = (
            f"{who} {metric.comparison} {days} {direction} than {whom} at the median: "
            f"{value} against {against}"
        )
    elif difference > 0:
        sentence = (
            f"{who} {metric.comparison} more often than {whom}: {value} against {against}"
            f"{_times(row.ratio)}"
        )
    else:
        sentence = f"{who} {metric.comparison} less often than {whom}: {value} against {against}"
    del n_tests  # the page says once how many comparisons the q-values account for
    return f"{sentence}; this is unlikely to be chance ({format_q(row.q_value)})."


def summarize_findings(report: Report, wording: Wording = PLAIN) -> list[str]:
    """Return one sentence per significant gap, in report order."""
    by_key = {(row.metric, row.attribute, row.group): row for row in report.rows}
    sentences = []
    for row in report.rows:
        if not row.significant:
            continue
        reference = by_key.get((row.metric, row.attribute, row.reference_group))
        if reference is None or reference.value is None:
            continue
        sentences.append(describe_finding(row, reference, report.n_tests, wording))
    return sentences
