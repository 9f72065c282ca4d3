"""The leader's equity dashboard: one metric by one attribute (or one intersection).

Leaders see aggregates only. Every figure comes from the group sums the database computed
ahead of time (``dashboard_figures``); the report built from them hides groups under the
minimum cell, and no client is named or counted here. The page says when the sums were
computed, and a leader can ask for them to be computed again.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    request_refresh,
)
from attune.equity.database import ATTRIBUTES, QUARTER
from attune.equity.metrics import METRICS, METRICS_BY_NAME
from attune.equity.models import DashboardRefresh
from attune.equity.render import RenderUnavailableError, render_html, render_pdf
from attune.equity.report import Report, report_from_statistics
from attune.equity.summary import describe_finding, describe_group, format_interval, format_value

PERMISSION = "equity.view_dashboard"
ATTRIBUTE_LABELS = {
    "gender": "Gender",
    "sex_at_birth": "Sex assigned at birth",
    "orientation": "Sexual orientation",
    "race_ethnicity": "Race and ethnicity",
    "languages": "Languages",
    "interpreter": "Interpreter",
    "accessibility": "Accessibility needs",
    "fee_tier": "Fee",
    QUARTER: "Referral quarter",
}
CHART_WIDTH = 640
BAR_HEIGHT = 28
LABEL_WIDTH = 220


def _label(view: str) -> str:
    return " and ".join(ATTRIBUTE_LABELS[name] for name in view.split(schema.INTERSECTION_JOINER))


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: float
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
        metric = METRICS[0].name
    if view not in ATTRIBUTES and view != QUARTER and view not in INTERSECTIONS:
        view = ATTRIBUTES[0]
    return metric, view


def _report(view: str, figures: DashboardRefresh) -> Report:
    intersect = [INTERSECTIONS[view]] if view in INTERSECTIONS else []
    # Quarters only when asked for, so the everyday view's q-values do not count them.
    attributes = (
        (*ATTRIBUTES, QUARTER) if QUARTER in view.split(schema.INTERSECTION_JOINER) else ATTRIBUTES
    )
    statistics = figures_statistics(figures, attributes=attributes, intersect=intersect)
    return report_from_statistics(statistics)


def _bars(metric, rows, min_cell: int) -> tuple[list[Bar], int]:  # type: ignore[no-untyped-def]
    shown = [row for row in rows if not row.suppressed and row.value is not None]
    top = max([row.ci_high or row.value for row in shown] + [row.value for row in shown] + [0])
    scale = (CHART_WIDTH - LABEL_WIDTH - 150) / top if top else 0.0
    bars = []
    for index, row in enumerate(rows):
        y = index * BAR_HEIGHT
        if row.suppressed or row.value is None:
            text = f"fewer than {min_cell} (not shown)"
            bars.append(Bar(row.group, text, y, 0.0, None, None, False))
            continue
        text = format_value(metric, row.value)
        is_reference = row.group == row.reference_group
        if is_reference:
            text += " (reference)"
        low = row.ci_low * scale if row.ci_low is not None else None
        high = row.ci_high * scale if row.ci_high is not None else None
        bars.append(Bar(row.group, text, y, row.value * scale, low, high, is_reference))
    return bars, len(rows) * BAR_HEIGHT


@login_required
def dashboard(request):
    _require(request)
    metric_name, view = _choice(request)
    metric = METRICS_BY_NAME[metric_name]
    figures = latest_figures()
    context = {
        "metrics": METRICS,
        "metric": metric,
        "views": [(name, ATTRIBUTE_LABELS[name]) for name in (*ATTRIBUTES, QUARTER)]
        + [(name, _label(name)) for name in INTERSECTIONS],
        "view": view,
        "view_label": _label(view),
        "figures": figures,
        "pending": pending_refresh(),
        "failed": last_failure(),
    }
    if figures is None:
        return render(request, "equity/dashboard.html", context)
    report = _report(view, figures)
    rows = [row for row in report.rows if row.metric == metric_name and row.attribute == view]
    table = [
        {
            "group": row.group,
            "suppressed": row.suppressed,
            "n": row.n,
            "value": format_value(metric, row.value),
            "interval": format_interval(metric, row.ci_low, row.ci_high),
            "ratio": None if row.ratio is None else f"{row.ratio:.2f}",
            "q_value": None if row.q_value is None else f"{row.q_value:.3f}",
            "is_reference": row.group == row.reference_group,
            "significant": row.significant,
        }
        for row in rows
    ]
    findings = []
    for row in rows:
        reference = report.reference_row(row)
        if row.significant and reference is not None:
            findings.append(describe_finding(row, reference, report.n_tests))
    bars, chart_height = _bars(metric, rows, report.min_cell)
    reference_group = rows[0].reference_group if rows else ""
    return render(
        request,
        "equity/dashboard.html",
        {
            **context,
            "table": table,
            "findings": findings,
            "bars": bars,
            "chart_width": CHART_WIDTH,
            "chart_height": chart_height,
            "label_width": LABEL_WIDTH,
            "reference": describe_group(view, reference_group) if reference_group else "",
            "min_cell": report.min_cell,
            "n_episodes": report.n_episodes,
            "n_tests": report.n_tests,
        },
    )


@login_required
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
        data = render_pdf(render_html(report, source=source))
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
