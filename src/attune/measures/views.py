"""Staff pages of the measures app: the therapist's signals, a client's measures and trends."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attune.access.actor import Actor, StaffActor
from attune.access.navigation import redirect_back
from attune.clients import queries as client_queries
from attune.clients.queries import refused_client_id, shared_name_codes
from attune.measures import queries, services
from attune.measures.expected_chart import expected_charts
from attune.measures.forms import (
    AcceptInstrumentForm,
    CloseSignalForm,
    ScheduleChangeForm,
    ScheduleForm,
    SendMeasureForm,
)
from attune.measures.models import StoredInstrument

DEFAULT_SAFETY_PROTOCOL = (
    "Contact the client today, by the means they agreed to. Ask directly about thoughts of "
    "suicide or self-harm, assess risk and make a safety plan with them. If you cannot reach "
    "them and are worried, follow the agency's emergency procedure and tell your supervisor."
)


def safety_protocol() -> str:
    """Return the agency's safety protocol text (``ATTUNE_SAFETY_PROTOCOL``)."""
    return settings.ATTUNE_SAFETY_PROTOCOL or DEFAULT_SAFETY_PROTOCOL


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 600, 220, 40


def trend_chart(series: queries.Series, comments: dict[int, str] | None = None) -> dict:
    """Return what the template needs to draw one instrument's totals as an SVG line.

    The chart is for sighted readers; the same numbers are in a table beside it, and each
    point is also marked by shape and labelled with its value, so nothing depends on colour.
    """
    span = (series.high - series.low) or 1.0
    inner_width = CHART_WIDTH - 2 * CHART_PAD
    inner_height = CHART_HEIGHT - 2 * CHART_PAD
    count = len(series.points)
    step = inner_width / max(count - 1, 1)

    def y_of(value: float) -> float:
        return round(CHART_PAD + inner_height * (1 - (value - series.low) / span), 1)

    points = []
    for index, response in enumerate(series.points):
        x = round(CHART_PAD + step * index if count > 1 else CHART_WIDTH / 2, 1)
        total = response.total
        y = y_of(total) if total is not None else None
        points.append(
            {
                "x": x,
                "y": y,
                "mark_x": round(x - 4, 1),
                "mark_y": round(y - 4, 1) if y is not None else None,
                "total": total,
                "band": response.band,
                "date": response.submitted_at,
                "missing": response.items_missing,
                "problem": response.score_problem,
                "comment": (comments or {}).get(response.pk, ""),
            }
        )
    drawn = [point for point in points if point["y"] is not None]
    has_comments = any(point["comment"] for point in points)
    threshold = None
    if series.name == services.SESSION_CHECKIN:
        value = queries.rule_settings().session_total_below
        threshold = {"value": value, "y": y_of(value)}
    return {
        "series": series,
        "points": points,
        "has_comments": has_comments,
        "polyline": " ".join(f"{point['x']},{point['y']}" for point in drawn),
        "threshold": threshold,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "pad": CHART_PAD,
        "right": CHART_WIDTH - CHART_PAD,
        "bottom": CHART_HEIGHT - CHART_PAD,
        "low": series.low,
        "high": series.high,
    }


@login_required
def signals_list(request):
    if not request.user.has_perm("measures.view_signals"):
        raise Http404
    page = queries.open_signals(actor=StaffActor.from_request(request))
    return render(
        request,
        "measures/signals.html",
        {
            "page": page,
            "tell_apart": shared_name_codes(therapist=request.user),
            "protocol": safety_protocol(),
            "close_form": CloseSignalForm(),
        },
    )


@login_required
@require_POST
def signal_acknowledge(request, signal_id: int):
    actor = StaffActor.from_request(request)
    signal = queries.signal_for_action(actor=actor, signal_id=signal_id)
    try:
        services.signal_acknowledge(actor=actor, signal=signal)
        messages.success(request, "Acknowledged. It stays on this page until you resolve it.")
    except services.SignalStateError as error:
        messages.error(request, f"Nothing changed: {error}.")
    return redirect_back(request, "measures:signals")


@login_required
@require_POST
def signal_close(request, signal_id: int):
    actor = StaffActor.from_request(request)
    signal = queries.signal_for_action(actor=actor, signal_id=signal_id)
    form = CloseSignalForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, f"Nothing changed: {problems}")
        return redirect_back(request, "measures:signals")
    try:
        services.signal_close(
            actor=actor,
            signal=signal,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "Closed. It stays in the client's measures history.")
    except services.SignalStateError as error:
        messages.error(request, f"Nothing changed: {error}.")
    return redirect_back(request, "measures:signals")


@login_required
def client_measures(request, client_id: int, schedule_form=None, send_form=None, status=200):
    if not request.user.is_therapist and not request.user.is_supervisor:
        raise refused_client_id(StaffActor.from_request(request), client_id, section="measures")
    measures = queries.client_measures(actor=StaffActor.from_request(request), client_id=client_id)
    return render(
        request,
        "measures/client_measures.html",
        {
            "client": measures.client,
            "charts": expected_charts(
                [trend_chart(series, measures.comments) for series in measures.series]
            ),
            "signals": measures.signals,
            "comments": measures.comments,
            "checkins": measures.checkins,
            "send_form": send_form or SendMeasureForm(client=measures.client),
            "can_send": request.user.has_perm("measures.send_checkin", measures.client),
            "schedules": measures.schedules,
            "schedule_form": schedule_form
            or ScheduleForm(prefix="schedule", client=measures.client),
            "can_schedule": request.user.has_perm("measures.schedule_checkins", measures.client),
        },
        status=status,
    )


def chosen_instrument(choice: str) -> StoredInstrument:
    """Return the stored instrument a measure form's choice names (already checked)."""
    source, _, reference = choice.partition(":")
    if source == "bundled":
        return services.bundled_instrument_stored(reference)
    return StoredInstrument.objects.get(pk=int(reference), bundled=False)


@login_required
@require_POST
def measure_send(request, client_id: int):
    actor = StaffActor.from_request(request)
    if not request.user.is_therapist:
        raise Http404
    client = client_queries.client_record(actor=actor, client_id=client_id, section="measures")
    if not request.user.has_perm("measures.send_checkin", client):
        raise Http404
    form = SendMeasureForm(request.POST, client=client)
    if not form.is_valid():
        # Nothing is sent: the page comes back with the reason beside the form.
        return client_measures(request, client_id=client.pk, send_form=form, status=400)
    instrument = chosen_instrument(form.cleaned_data["instrument"])
    try:
        sent = services.checkin_send(
            actor=actor,
            client=client,
            instrument=instrument,
            base_url=request.build_absolute_uri("/"),
        )
    except services.InstrumentNotReady as error:
        messages.error(request, str(error))
        return redirect("measures:client_measures", client_id=client.pk)
    return render(
        request,
        "measures/checkin_sent.html",
        {"client": client, "sent": sent, "instrument": instrument},
    )


def _client_to_schedule(request, client_id: int):
    actor = StaffActor.from_request(request)
    if not request.user.is_therapist:
        raise Http404
    client = client_queries.client_record(actor=actor, client_id=client_id, section="measures")
    if not request.user.has_perm("measures.schedule_checkins", client):
        raise Http404
    return actor, client


@login_required
@require_POST
def schedule_create(request, client_id: int):
    actor, client = _client_to_schedule(request, client_id)
    form = ScheduleForm(request.POST, prefix="schedule", client=client)
    if form.is_valid():
        try:
            schedule = services.schedule_create(
                actor=actor,
                client=client,
                instrument=chosen_instrument(form.cleaned_data["instrument"]),
                interval_weeks=form.cleaned_data["interval_weeks"],
                first_due_on=form.cleaned_data["first_due_on"],
                goal_texts=form.cleaned_data["goals"],
            )
        except services.ScheduleError as error:
            form.add_error(None, f"Nothing was scheduled: {error}.")
        else:
            messages.success(
                request,
                f"Scheduled every {schedule.interval_weeks} week(s), "
                f"first on {schedule.next_due_on:%d %B %Y}.",
            )
            return redirect("measures:client_measures", client_id=client.pk)
    return client_measures(request, client_id=client.pk, schedule_form=form, status=400)


@login_required
@require_POST
def schedule_change(request, client_id: int, schedule_id: int):
    actor, client = _client_to_schedule(request, client_id)
    schedule = queries.schedule_of(client=client, schedule_id=schedule_id)
    form = ScheduleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing changed: choose pause, resume or stop.")
        return redirect("measures:client_measures", client_id=client.pk)
    try:
        schedule = services.schedule_change(
            actor=actor, schedule=schedule, change=form.cleaned_data["change"]
        )
        messages.success(request, f"The schedule is {schedule.get_state_display().lower()}.")
    except services.ScheduleError as error:
        messages.error(request, f"Nothing changed: {error}.")
    return redirect("measures:client_measures", client_id=client.pk)


@login_required
def instruments_review(request, form: AcceptInstrumentForm | None = None, status: int = 200):
    """Leaders: the imported instruments held "needs review", their findings, and acceptance."""
    if not request.user.is_leader:
        raise Http404
    return render(
        request,
        "measures/instruments_review.html",
        {"held": queries.instruments_held_for_review(), "form": form or AcceptInstrumentForm()},
        status=status,
    )


@login_required
@require_POST
def instrument_accept(request, instrument_id: int):
    if not request.user.is_leader:
        raise Http404
    stored = StoredInstrument.objects.filter(pk=instrument_id).first()
    if stored is None:
        raise Http404
    form = AcceptInstrumentForm(request.POST)
    if not form.is_valid():
        return instruments_review(request, form=form, status=400)
    try:
        services.instrument_accept(
            actor=Actor.from_request(request), stored=stored, reason=form.cleaned_data["reason"]
        )
    except services.InstrumentError as error:
        messages.error(request, f"Nothing changed: {error}.")
    else:
        messages.success(request, f"{stored.title} is accepted and can be sent.")
    return redirect("measures:instruments_review")
