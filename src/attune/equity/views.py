"""The leader's equity dashboard: one metric by one attribute (or one intersection).

Leaders see aggregates only. Every figure comes from the group sums the database computed
ahead of time (``dashboard_figures``); the report built from them hides groups under the
minimum cell, and no client is named or counted here. The page says when the sums were
computed, and a leader can ask for them to be computed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from attune.access.actor import Actor
from attune.access.navigation import redirect_back
from attune.equity import schema
from attune.equity.dashboard_figures import (
    INTERSECTIONS,
    figures_statistics,
    last_failure,
    latest_figures,
    pending_refresh,
)
from attune.equity.dashboard_refresh import request_refresh
from attune.equity.database import ATTRIBUTES, QUARTER
from attune.equity.labels import ATTRIBUTE_LABELS, NOT_SHARED, WORDING, attribute_label
from attune.equity.metrics import METRICS, METRICS_BY_NAME
from attune.equity.models import DashboardRefresh
from attune.equity.render import render_html
from attune.equity.report import Report, report_from_statistics
from attune.equity.wording import describe_finding, format_interval, format_value
from attune.pdf import RenderUnavailableError, render_pdf
from attune.replica import reads_from_replica

PERMISSION = "equity.view_dashboard"
# Where a leader lands: who waits longer, by race and ethnicity (the SPD 15 categories).
DEFAULT_METRIC = "days_to_first_session"
DEFAULT_VIEW = "race_ethnicity"
# The scale of the bars: a bar as long as the track is the largest value or interval shown.
BAR_TRACK = 100.0


@dataclass(frozen=True)
class Bar:
    """One group in the chart: a bar only for a value above zero, a line for its interval."""

    label: str
    text: str
    width: float | None
    low: float | None
    high: float | None
    is_reference: bool


def _require(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise Http404


def _choice(request) -> tuple[str, str]:
    metric = request.GET.get("metric", "")
    view = request.GET.get("attribute", "")
    if metric not in METRICS_BY_NAME:
        metric = DEFAULT_METRIC
    if view not in ATTRIBUTES and view != QUARTER and view not in INTERSECTIONS:
        view = DEFAULT_VIEW
    return metric, view


def _view_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the "Group by" choices in three groups: one characteristic, two, over time."""
    single = [(name, attribute_label(name)) for name in ATTRIBUTES]
    pairs = [(name, attribute_label(name)) for name in INTERSECTIONS if QUARTER not in name]
    time = [(QUARTER, attribute_label(QUARTER))] + [
        (name, f"Referral quarter, by {ATTRIBUTE_LABELS[pair[1]].lower()}")
        for name, pair in INTERSECTIONS.items()
        if pair[0] == QUARTER
    ]
    return [
        ("One characteristic", single),
        ("Two characteristics together", pairs),
        ("Over time (by quarter of referral)", time),
    ]


def _report(view: str, figures: DashboardRefresh) -> Report:
    intersect = [INTERSECTIONS[view]] if view in INTERSECTIONS else []
    # Quarters only when asked for, so the everyday view's q-values do not count them.
    attributes = (
        (*ATTRIBUTES, QUARTER) if QUARTER in view.split(schema.INTERSECTION_JOINER) else ATTRIBUTES
    )
    statistics = figures_statistics(figures, attributes=attributes, intersect=intersect)
    return report_from_statistics(statistics)


def _bars(metric, rows) -> list[Bar]:
    """Return the chart: the groups shown, each with a bar only if its value is above zero.

    Hidden groups and groups without a value get no row (the table lists them), and when no
    group shown has a value above zero there is no chart at all: intervals alone drawn from
    zero would read as bars of different lengths for values that are all the same.
    """
    shown = [row for row in rows if not row.suppressed and row.value is not None]
    top = max([row.ci_high or 0.0 for row in shown] + [row.value for row in shown] + [0.0])
    if not any(row.value for row in shown) or top <= 0:
        return []
    scale = BAR_TRACK / top
    bars = []
    for row in shown:
        is_reference = row.group == row.reference_group
        bars.append(
            Bar(
                WORDING.group(row.attribute, row.group),
                format_value(metric, row.value) + (" (reference)" if is_reference else ""),
                row.value * scale if row.value > 0 else None,
                row.ci_low * scale if row.ci_low is not None else None,
                row.ci_high * scale if row.ci_high is not None else None,
                is_reference,
            )
        )
    return bars


def _findings(report: Report, view: str, metric_name: str) -> list[str]:
    """Return the view's findings, the chosen measure's first, then in the measures' order."""
    rows = [row for row in report.rows if row.attribute == view and row.significant]
    rows.sort(key=lambda row: row.metric != metric_name)  # stable: keeps the report's order
    sentences = []
    for row in rows:
        reference = report.reference_row(row)
        if reference is not None and reference.value is not None:
            sentences.append(describe_finding(row, reference, report.n_tests, WORDING))
    return sentences


def _elsewhere(report: Report, view: str) -> list[tuple[str, str, int]]:
    """Return the other characteristics with findings: (attribute, label, how many)."""
    counts: dict[str, int] = {}
    for row in report.rows:
        if row.significant and row.attribute != view and row.attribute in ATTRIBUTES:
            counts[row.attribute] = counts.get(row.attribute, 0) + 1
    return [(name, attribute_label(name), counts[name]) for name in ATTRIBUTES if name in counts]


def _reference_words(view: str, rows) -> str:
    """Say which group is the reference and why: the largest that shared its answer."""
    if not rows:
        return ""
    reference = rows[0].reference_group
    who = WORDING.clients(view, reference)
    count = next((row.n for row in rows if row.group == reference), None)
    size = f" (n = {count})" if count else ""
    components = view.split(schema.INTERSECTION_JOINER)
    if schema.NOT_DISCLOSED in reference.split(schema.INTERSECTION_JOINER):
        why = "the largest group, since no group that answered is large enough"
    elif len(components) == 1:
        why = f"the largest group that shared its {NOT_SHARED.get(view, view)}"
    else:
        why = "the largest of these groups"
    return f"{who}{size}, {why}"


@login_required
@reads_from_replica
def dashboard(request):
    _require(request)
    metric_name, view = _choice(request)
    metric = METRICS_BY_NAME[metric_name]
    figures = latest_figures()
    context = {
        "metrics": METRICS,
        "metric": metric,
        "view_groups": _view_groups(),
        "view": view,
        "view_label": attribute_label(view),
        "figures": figures,
        "pending": pending_refresh(),
        "failed": last_failure(),
        "demo": settings.ATTUNE_DEMO,
    }
    if figures is None:
        return render(request, "equity/dashboard.html", context)
    report = _report(view, figures)
    rows = [row for row in report.rows if row.metric == metric_name and row.attribute == view]
    table = [
        {
            "group": WORDING.group(view, row.group),
            "suppressed": row.suppressed,
            "n": row.n,
            "value": format_value(metric, row.value),
            "interval": format_interval(metric, row.ci_low, row.ci_high),
            "ratio": None if row.ratio is None else f"{row.ratio:.2f}",
            "q_value": None
            if row.q_value is None
            else "< 0.001"
            if row.q_value < 0.001
            else f"{row.q_value:.3f}",
            "is_reference": row.group == row.reference_group,
            "significant": row.significant,
        }
        for row in rows
    ]
    return render(
        request,
        "equity/dashboard.html",
        {
            **context,
            "table": table,
            "zero": format_value(metric, 0.0),
            "all_hidden": bool(rows) and all(row.suppressed for row in rows),
            "findings": _findings(report, view, metric_name),
            "metric_findings": sum(
                1 for row in rows if row.significant and row.group != row.reference_group
            ),
            "elsewhere": _elsewhere(report, view),
            "bars": _bars(metric, rows),
            "n_hidden": sum(1 for row in rows if row.suppressed or row.value is None),
            "hidden_groups": [item["group"] for item in table if item["suppressed"]],
            "reference": _reference_words(view, rows),
            "min_cell": report.min_cell,
            "n_episodes": report.n_episodes,
            "n_tests": report.n_tests,
        },
    )


@login_required
@reads_from_replica
def report_pdf(request):
    _require(request)
    _metric, view = _choice(request)
    figures = latest_figures()
    if figures is None:
        messages.info(request, "The figures have not been computed yet, so there is no report.")
        return redirect("equity:dashboard")
    report = _report(view, figures)
    computed = timezone.localtime(figures.finished_at).strftime("%d %B %Y at %H:%M")
    source = f"the app's database (figures computed on {computed})"
    try:
        data = render_pdf(render_html(report, source=source, wording=WORDING))
    except RenderUnavailableError as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="equity-report.pdf"'
    return response


@login_required
@require_POST
def refresh(request):
    """Queue a new computation of the figures (one at a time), then go back to the page."""
    _require(request)
    _refresh, queued = request_refresh(actor=Actor.from_request(request))
    if queued:
        messages.success(
            request,
            "The figures are being computed again. Reload this page in a few minutes to see "
            "them; until then it shows the figures computed before.",
        )
    else:
        messages.info(request, "The figures are already being computed again.")
    return redirect_back(request, "equity:dashboard")
