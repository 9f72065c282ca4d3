"""Reads of rupture and repair logs, and whether a repair held.

Whether it held is computed, never stored: the session check-ins a client answered after the log
was opened (until it was closed) are compared with the client's baseline before the rupture,
the same baseline the ``drop_from_baseline`` rule uses (the median of the previous three
totals; ``attune.measures.signals_rules.baseline``).  Every read of a log is in the trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.http import Http404

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.access.policy import client_summary_scope, repair_scope
from attune.access.refusals import refused_for
from attune.care.models import RepairLog, RepairStatus
from attune.clients.models import Client
from attune.clients.queries import refused_client_id
from attune.measures import queries as measures_queries
from attune.measures import signals_rules
from attune.measures.models import Response, SignalKind
from attune.measures.parsed_instruments import SESSION_CHECKIN

# A later check-in within this many points of the baseline (or above it) is "back to baseline":
# totals are means of 0-10 ratings, and half a point is one rating in eight four points lower.
BACK_TO_BASELINE_MARGIN = 0.5
# How many of the latest linked check-ins a suggestion rests on.
SUGGESTION_SPAN = 2


@dataclass(frozen=True)
class FollowUp:
    """One session check-in answered after the log was opened."""

    response_id: int
    submitted_at: object
    total: float | None
    back: bool | None  # None: too many questions skipped for a total
    difference: float | None  # total minus the reference (baseline or threshold)
    comment: str
    new_signal: bool  # it raised a rupture signal of its own


@dataclass
class RepairProgress:
    """What the log page shows about whether the repair held; the therapist decides."""

    baseline: float | None
    # What later totals are compared with: the baseline, or without one the low-total threshold.
    reference: float
    reference_is_baseline: bool
    follow_ups: list[FollowUp] = field(default_factory=list)
    suggestion: str = ""  # "held", "not_held" or "" (none yet)
    suggestion_text: str = ""


def _rules():
    return measures_queries.rule_settings()


def repair_progress(log: RepairLog, *, with_comments: bool = True) -> RepairProgress:
    """Return the baseline before the rupture and each session check-in since the log opened.

    Two queries: the totals before the rupture, and the check-ins since (with their signals).
    """
    rules = _rules()
    session = Response.objects.filter(client_id=log.client_id, instrument__name=SESSION_CHECKIN)
    previous = list(
        session.filter(submitted_at__lt=log.rupture_at)
        .order_by("submitted_at", "pk")
        .values_list("total", flat=True)
    )
    baseline = signals_rules.baseline(previous, rules.baseline_size)
    reference = baseline if baseline is not None else rules.session_total_below
    later = session.filter(submitted_at__gt=log.opened_at)
    if log.closed_at is not None:
        later = later.filter(submitted_at__lte=log.closed_at)
    progress = RepairProgress(
        baseline=baseline, reference=reference, reference_is_baseline=baseline is not None
    )
    for response in later.prefetch_related("signals").order_by("submitted_at", "pk"):
        total = response.total
        comment = ""
        if with_comments and isinstance(response.answers, dict):
            comment = str(response.answers.get("comment") or "").strip()
        progress.follow_ups.append(
            FollowUp(
                response_id=response.pk,
                submitted_at=response.submitted_at,
                total=total,
                back=None if total is None else total >= reference - BACK_TO_BASELINE_MARGIN,
                difference=None if total is None else round(total - reference, 1),
                comment=comment,
                new_signal=any(s.kind == SignalKind.RUPTURE for s in response.signals.all()),
            )
        )
    progress.suggestion, progress.suggestion_text = _suggest(progress)
    return progress


def _suggest(progress: RepairProgress) -> tuple[str, str]:
    """Suggest held when the latest check-ins are back, not held when two are still below."""
    scored = [row for row in progress.follow_ups if row.back is not None]
    where = "baseline" if progress.reference_is_baseline else "the low check-in threshold"
    if not scored:
        return "", "No session check-in has been answered since the log was opened."
    latest = scored[-SUGGESTION_SPAN:]
    if all(row.back for row in latest):
        if len(latest) == 1:
            return "held", f"The check-in since the log was opened is back to {where}."
        return "held", f"The last two check-ins are back to {where}."
    if len(latest) == SUGGESTION_SPAN and not any(row.back for row in latest):
        return "not_held", f"The last two check-ins are still below {where}."
    return "", f"Mixed so far: the latest check-ins are not all back to {where}."


def _trail_read(actor: Actor, log: RepairLog, detail: str = "") -> None:
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=log.client_id,
        object_type="repair_log",
        object_ref=log.pk,
        section="repairs",
        detail=detail,
    )


@dataclass
class RepairPage:
    log: RepairLog
    progress: RepairProgress
    can_change: bool


def repair_for_view(*, actor: StaffActor, repair_id: int) -> RepairPage:
    """Return a log ``actor`` may read with its progress, recording the read; else 404.

    A supervisor reads it without the client's check-in comments, which the client wrote for
    their therapist.
    """
    log = (
        RepairLog.objects.filter(repair_scope(actor.user), pk=repair_id)
        .select_related("client", "therapist", "closed_by", "signal")
        .first()
    )
    if log is None or not actor.user.has_perm("care.view_repair", log):
        raise refused_for(actor, RepairLog, repair_id, section="repairs")
    can_change = actor.user.has_perm("care.change_repair", log)
    _trail_read(actor, log, "" if can_change else "read-only, as supervisor")
    return RepairPage(
        log=log, progress=repair_progress(log, with_comments=can_change), can_change=can_change
    )


def repair_for_change(*, actor: StaffActor, repair_id: int) -> RepairLog:
    """Return a log ``actor`` may edit or close, recording the read; else 404."""
    log = (
        RepairLog.objects.filter(repair_scope(actor.user), pk=repair_id)
        .select_related("client", "signal")
        .first()
    )
    if log is None or not actor.user.has_perm("care.change_repair", log):
        raise refused_for(actor, RepairLog, repair_id, section="repairs")
    _trail_read(actor, log, "opened to edit or close")
    return log


def client_repairs(*, actor: StaffActor, client_id: int) -> tuple[Client, list[RepairLog]]:
    """Return a client and the repair logs ``actor`` may read, newest first; else 404."""
    client = (
        Client.objects.filter(client_summary_scope(actor.user), pk=client_id)
        .select_related("therapist")
        .first()
    )
    if client is None or not actor.user.has_perm("care.view_repairs", client):
        raise refused_client_id(actor, client_id, section="repairs")
    logs = list(
        RepairLog.objects.filter(repair_scope(actor.user), client=client).select_related(
            "client", "signal"
        )
    )
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=client.pk,
        object_type="client",
        object_ref=client.pk,
        section="repairs",
        detail=f"{len(logs)} repair logs listed",
    )
    return client, logs


def client_for_repair(*, actor: StaffActor, client_id: int) -> Client:
    """Return a client of ``actor``'s own for opening a log, recording the read; else 404."""
    client = Client.objects.filter(therapist=actor.user, pk=client_id).first()
    if client is None or not actor.user.has_perm("care.open_repair", client):
        raise refused_client_id(actor, client_id, section="repairs")
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=client.pk,
        object_type="client",
        object_ref=client.pk,
        section="repairs",
        detail="opening a repair log",
    )
    return client


def signal_for_repair(*, actor: StaffActor, signal_id: int):
    """Return a rupture signal of ``actor``'s own client to open a log from, recorded; else 404."""
    signal = measures_queries.signal_for_action(actor=actor, signal_id=signal_id)
    if signal.kind != SignalKind.RUPTURE or not actor.user.has_perm(
        "care.open_repair", signal.client
    ):
        raise Http404
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=signal.client_id,
        object_type="signal",
        object_ref=signal.pk,
        section="repairs",
        detail="opening a repair log from it",
    )
    return signal


def repairs_due(*, therapist, on: date) -> list[RepairLog]:
    """Return the open logs of ``therapist``'s clients due for follow-up on or before ``on``.

    One query whatever their number, each with ``client`` loaded; soonest due first.
    """
    return list(
        RepairLog.objects.filter(
            client__therapist=therapist, status=RepairStatus.OPEN, follow_up_on__lte=on
        )
        .select_related("client")
        .order_by("follow_up_on", "opened_at", "pk")
    )


def repairs_for_supervision(
    *, actor: StaffActor, supervisee, since: date, until: date
) -> list[RepairLog]:
    """Return the logs ``supervisee`` opened or closed from ``since`` to ``until`` (inclusive).

    For supervision: each log has ``status``, ``opened_at``, ``closed_at``, ``held`` (True,
    False, or None while open or when the client stopped), ``client`` (name it by case code or
    chosen name) and ``signal`` (the signal it came from, or None).  Only a supervisor of
    ``supervisee``, or the supervisee themselves, may ask (else 404); the read is in the trail.
    """
    is_own = supervisee is not None and actor.user.pk == supervisee.pk
    if not is_own and not actor.user.has_perm("supervision.view_supervisee_caseload", supervisee):
        raise Http404
    in_period = Q(opened_at__date__gte=since, opened_at__date__lte=until) | Q(
        closed_at__date__gte=since, closed_at__date__lte=until
    )
    logs = list(
        RepairLog.objects.filter(in_period, therapist=supervisee)
        .select_related("client", "signal")
        .order_by("opened_at", "pk")
    )
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        object_type="repair_logs",
        object_ref=supervisee.pk,
        section="supervision",
        detail=f"{len(logs)} repair logs from {since.isoformat()} to {until.isoformat()}",
    )
    return logs
