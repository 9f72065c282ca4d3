"""Render a report as JSON, CSV, self-contained accessible HTML, or PDF."""

from __future__ import annotations

import csv
import io
import json
from html import escape

from attune.equity.metrics import METRICS
from attune.equity.report import MetricRow, Report
from attune.equity.wording import (
    PLAIN,
    Wording,
    format_interval,
    format_value,
    summarize_findings,
)

FIELDS = (
    "metric",
    "attribute",
    "group",
    "n",
    "value",
    "ci_low",
    "ci_high",
    "reference_group",
    "ratio",
    "difference",
    "p_value",
    "q_value",
    "significant",
    "suppressed",
)


DASH = "\N{EM DASH}"


def render_json(report: Report) -> str:
    """Return the report as JSON in its published shape."""
    return json.dumps(report.to_json_dict(), indent=2, allow_nan=False) + "\n"


def render_csv(report: Report) -> str:
    """Return the report's rows as CSV with a header; empty cells are nulls."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in report.rows:
        values = [getattr(row, field) for field in FIELDS]
        writer.writerow(["" if value is None else value for value in values])
    return buffer.getvalue()


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; line-height: 1.5; color: #1a1a1a; }
table { border-collapse: collapse; margin: 0 0 2rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border: 1px solid #666; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.finding { font-weight: bold; }
@media print { body { margin: 1cm; } table { page-break-inside: auto; } }
"""


def _number(value: float | None, digits: int = 3) -> str:
    if value is None:
        return DASH
    if abs(value) and abs(value) < 10**-digits:
        return f"{value:.1e}"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


def _row_html(row: MetricRow, wording: Wording = PLAIN) -> str:
    metric = next(metric for metric in METRICS if metric.name == row.metric)
    if row.suppressed:
        value_text = "Suppressed (too few to show safely)"
        interval = DASH
    else:
        value_text = format_value(metric, row.value)
        interval = format_interval(metric, row.ci_low, row.ci_high)
    is_reference = row.group == row.reference_group
    significant = "Yes, unlikely to be chance" if row.significant else "No"
    if is_reference:
        significant = "Reference group"
    cells = [
        f'<th scope="row">{escape(wording.group(row.attribute, row.group))}</th>',
        f'<td class="number">{DASH if row.n is None else row.n}</td>',
        f"<td>{escape(value_text)}</td>",
        f"<td>{escape(interval)}</td>",
        f'<td class="number">{_number(row.ratio, 2)}</td>',
        f'<td class="number">{_number(row.p_value)}</td>',
        f'<td class="number">{_number(row.q_value)}</td>',
        f"<td{' class=finding' if row.significant else ''}>{escape(significant)}</td>",
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def render_html(
    report: Report, *, title: str = "Equity report", source: str = "", wording: Wording = PLAIN
) -> str:
    """Return a self-contained, accessible HTML page of the report, groups named by ``wording``."""
    findings = summarize_findings(report, wording)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{report.n_episodes:,} episodes of care"
        + (f" from {escape(source)}" if source else "")
        + f". Groups are self-identified; a person who selected several groups counts in "
        f"each. Groups with fewer than {report.min_cell} episodes for a figure, and the "
        "figures that would let their size be worked out, are suppressed. Each group is "
        "compared with a reference group; q-values control the false discovery rate "
        f"across all {report.n_tests} comparisons.</p>",
        "<h2>Findings unlikely to be chance</h2>",
    ]
    if findings:
        parts.append("<ul>" + "".join(f"<li>{escape(text)}</li>" for text in findings) + "</ul>")
    else:
        parts.append(
            "<p>No gap between groups stands out from chance at a false discovery rate "
            "of 5%. This does not show that care is equal: small groups give wide intervals.</p>"
        )
    for metric in METRICS:
        parts.append(f"<h2>{escape(metric.title)}</h2>")
        attributes = list(dict.fromkeys(row.attribute for row in report.rows))
        for attribute in attributes:
            rows = [r for r in report.rows if r.metric == metric.name and r.attribute == attribute]
            if not rows:
                continue
            parts.append("<table>")
            parts.append(
                f"<caption>{escape(metric.title)} by {escape(wording.attribute(attribute))}; "
                f"counted among {escape(metric.denominator)}; reference group "
                f"{escape(wording.group(attribute, rows[0].reference_group))}</caption>"
            )
            headers = (
                "Group",
                "n",
                "Value",
                "95% interval",
                "Ratio to reference",
                "p-value",
                "q-value",
                "Significant",
            )
            parts.append(
                "<thead><tr>"
                + "".join(f'<th scope="col">{header}</th>' for header in headers)
                + "</tr></thead>"
            )
            parts.append("<tbody>" + "".join(_row_html(row, wording) for row in rows) + "</tbody>")
            parts.append("</table>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
