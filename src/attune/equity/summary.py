"""Plain-language sentences for the findings unlikely to be chance.

Pure functions of report rows, so the command line's HTML and the leader dashboard
say the same thing in the same words.
"""

from __future__ import annotations

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


def describe_group(attribute: str, group: str) -> str:
    """Return who a group is, in words ("clients whose language includes Spanish")."""
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


def _times(ratio: float) -> str:
    if abs(ratio - 2) < 0.05:
        return "twice"
    if abs(ratio - 0.5) < 0.025:
        return "half"
    # Two decimals near and below one, so a real but small gap never reads "1.0 times".
    return f"{ratio:.1f} times" if ratio >= 1.05 else f"{ratio:.2f} times"


def describe_finding(row: MetricRow, reference: MetricRow, n_tests: int) -> str:
    """Return one sentence on a group's gap against its reference group.

    ``n_tests`` is the number of comparisons the q-values account for.
    """
    metric = METRICS_BY_NAME[row.metric]
    who = describe_group(row.attribute, row.group)
    whom = describe_group(reference.attribute, reference.group)
    these = (
        f"({format_value(metric, row.value)}, {format_interval(metric, row.ci_low, row.ci_high)}, "
        f"against {format_value(metric, reference.value)}, "
        f"{format_interval(metric, reference.ci_low, reference.ci_high)})"
    )
    difference = row.difference or 0.0
    subject = f"{_sentence_case(who)} {metric.comparison}"
    if metric.kind == "mean":
        direction = "higher" if difference > 0 else "lower"
        sentence = f"{subject} {abs(difference):.1f} points {direction} on average than {whom}"
    elif metric.kind == "median" and difference == 0:
        sentence = (
            f"{_sentence_case(metric.title)} differs between {who} and {whom} beyond the "
            "median, which is the same"
        )
    elif metric.kind == "median" and row.ratio is None:
        direction = "longer" if difference > 0 else "shorter"
        sentence = f"{subject} a median {abs(difference):g} days {direction} than {whom}"
    elif metric.kind == "median":
        sentence = f"{subject} {_times(row.ratio)} as long as {whom}, at the median"  # type: ignore[arg-type]
    elif row.ratio is None:
        # The reference rate is zero, so a ratio means nothing; say which way it goes.
        sentence = f"{subject} {'more' if difference > 0 else 'less'} often than {whom}"
    else:
        sentence = f"{subject} {_times(row.ratio)} as often as {whom}"
    sentence = f"{sentence} {these}"
    plural = "comparison" if n_tests == 1 else "comparisons"
    return f"{sentence}, after accounting for {n_tests} {plural}."


def summarize_findings(report: Report) -> list[str]:
    """Return one sentence per significant gap, in report order."""
    by_key = {(row.metric, row.attribute, row.group): row for row in report.rows}
    sentences = []
    for row in report.rows:
        if not row.significant:
            continue
        reference = by_key.get((row.metric, row.attribute, row.reference_group))
        if reference is None or reference.value is None:
            continue
        sentences.append(describe_finding(row, reference, report.n_tests))
    return sentences
