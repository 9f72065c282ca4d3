"""The expected curve and its tolerance band, drawn on a client's trend chart and as a table.

``with_expected`` takes a chart from ``views.trend_chart`` and the fit in use, and adds what the
template needs (``measures/includes/expected_band.html`` and ``expected_table.html``): the band
as an SVG polygon, the expected scores as a dashed line, and one table row per score in words.
Nothing depends on colour: the band is shaded and outlined, the expected line is dashed, and the
table says for every score whether it was within, better than or worse than expected.
"""

from __future__ import annotations

from typing import Any

from attune.measures import expected_response as engine
from attune.measures.expected_signals import fallback_change, spec_for
from attune.measures.fits import latest_fit
from attune.measures.queries import rule_settings
from attune.measures.signals_rules import RuleSettings

WITHIN = "within the expected range"
BETTER = "better than expected"
WORSE = "not on track: worse than expected"
INTAKE = "first score (the starting point)"


def expected_charts(charts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the expected curve to each of a client's charts, reading the fit in use once."""
    stored_fit = latest_fit() if charts else None
    rules = rule_settings()
    return [with_expected(chart, stored_fit, rules) for chart in charts]


def with_expected(chart: dict[str, Any], stored_fit, rules: RuleSettings) -> dict[str, Any]:
    """Return ``chart`` with an ``expected`` entry (None for an instrument the model lacks)."""
    chart["expected"] = overlay(chart, stored_fit, rules)
    return chart


def overlay(chart: dict[str, Any], stored_fit, rules: RuleSettings) -> dict[str, Any] | None:
    series = chart["series"]
    spec = spec_for(series.name, rules)
    points = chart["points"]
    if spec is None or not any(point["total"] is not None for point in points):
        return None
    fits = engine.fits_from_json(stored_fit.parameters if stored_fit is not None else None)
    rows = engine.course(
        spec,
        fits.get(spec.name),
        [point["total"] for point in points],
        reliable_change=fallback_change(spec, None, rules),
    )
    low, high = chart["low"], chart["high"]
    span = (high - low) or 1.0
    top, bottom = chart["pad"], chart["bottom"]

    def y_of(value: float) -> float:
        return round(top + (bottom - top) * (1 - (value - low) / span), 1)

    drawn, table = [], []
    for point, row in zip(points, rows, strict=True):
        if row is None:
            continue
        expected = row.expectation
        drawn.append((point["x"], expected))
        table.append(
            {
                "date": point["date"],
                "number": row.score_number,
                "total": row.total,
                "expected": expected.expected,
                "lower": expected.lower,
                "upper": expected.upper,
                "reading": _reading(row),
                "off_track": row.off_track and expected.raises,
            }
        )
    sources = {expected.source for _, expected in drawn[1:]}
    upper_edge = " ".join(f"{x},{y_of(e.upper)}" for x, e in drawn)
    lower_edge = " ".join(f"{x},{y_of(e.lower)}" for x, e in reversed(drawn))
    label = drawn[0][1].band_label
    return {
        "band": f"{upper_edge} {lower_edge}" if len(drawn) > 1 else "",
        "line": " ".join(f"{x},{y_of(e.expected)}" for x, e in drawn) if len(drawn) > 1 else "",
        "rows": table,
        "fitted": engine.AGENCY in sources,
        "published": engine.PUBLISHED in sources or len(drawn) < 2,
        "intake_band": label,
        "version": stored_fit.version if stored_fit is not None else None,
        "fitted_at": stored_fit.fitted_at if stored_fit is not None else None,
        "threshold": fallback_change(spec, None, rules),
        "off_track_count": sum(1 for entry in table if entry["off_track"]),
        "lower_is_better": spec.lower_is_better,
    }


def _reading(row: engine.CourseRow) -> str:
    expected = row.expectation
    if row.score_number == 1:
        return INTAKE
    if row.off_track:
        return WORSE if expected.raises else "reliably worse than the first score"
    better = row.total < expected.lower if expected.lower_is_better else row.total > expected.upper
    return BETTER if better else WITHIN
