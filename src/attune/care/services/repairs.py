"""Every write to rupture and repair logs: open, edit, close.  Atomic, each with its trail entry."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.care.models import CLOSED_STATUSES, RepairLog, RepairStatus
from attune.clients.models import Client
from attune.measures import services as measures_services
from attune.measures.models import Signal, SignalKind, SignalState

# The texts a therapist writes in a log; every one is encrypted at rest.
TEXT_FIELDS = ("what_happened", "client_impact", "acknowledgement", "apology", "commitment")


class RepairError(ValueError):
    """A repair log cannot be written that way; the message is for the therapist."""


class ClientNotOnCaseload(RepairError):
    """The client's episode is closed or they are no longer this therapist's client."""


class RepairStateError(RepairError):
    """The log cannot move that way (for example, closing a log that is already closed)."""


class RepairConflict(RepairError):
    """The log changed since the form was opened (another tab); nothing was saved."""

    def __init__(self, current: RepairLog):
        super().__init__("this log was changed in another tab or by another request")
        self.current = current


class RepairExists(RepairError):
    """A log was already opened from this signal."""

    def __init__(self, log: RepairLog):
        super().__init__("a repair log was already opened from this signal")
        self.log = log


def _trail(actor: Actor, log: RepairLog, action: str, detail: str) -> None:
    trail.record(
        actor=actor,
        action=action,
        client_id=log.client_id,
        object_type="repair_log",
        object_ref=log.pk,
        section="repairs",
        detail=detail,
    )


def _client_on_caseload(actor: StaffActor, client_id: int) -> Client:
    """Return the client, locked, if they are on ``actor``'s open caseload; else raise."""
    client = Client.objects.select_for_update().filter(pk=client_id).first()
    if client is None or client.therapist_id != actor.user.pk:
        raise ClientNotOnCaseload("this client is no longer on your caseload")
    if client.closed_at is not None:
        raise ClientNotOnCaseload("this client's episode of care is closed")
    return client


def _check_follow_up(follow_up_on: date, *, saved: date | None = None) -> None:
    if follow_up_on < timezone.localdate() and follow_up_on != saved:
        raise RepairError("the follow-up date is in the past")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@transaction.atomic
def repair_open(
    *,
    actor: StaffActor,
    client: Client,
    what_happened: str,
    follow_up_on: date,
    client_impact: str = "",
    acknowledgement: str = "",
    apology: str = "",
    commitment: str = "",
    signal=None,
    occurred_on: date | None = None,
) -> RepairLog:
    """Open a repair log for a client on ``actor``'s caseload, from a signal or by hand.

    From a signal, the rupture is the check-in that raised it and the signal is acknowledged
    (through the measures service) in the same transaction; by hand, it is the start of
    ``occurred_on`` (today when not given).  Raise ``RepairExists`` if the signal already has
    a log, ``ClientNotOnCaseload`` or ``RepairError`` for bad input: nothing is stored then.
    """
    client = _client_on_caseload(actor, client.pk)
    what_happened = what_happened.strip()
    if not what_happened:
        raise RepairError("say what happened")
    _check_follow_up(follow_up_on)
    if signal is not None:
        signal = Signal.objects.select_related("response").get(pk=signal.pk)
        if signal.client_id != client.pk or signal.kind != SignalKind.RUPTURE:
            raise RepairError("a repair log is opened from a rupture signal of this client")
        existing = RepairLog.objects.filter(signal=signal).first()
        if existing is not None:
            raise RepairExists(existing)
        rupture_at = signal.response.submitted_at
    else:
        day = occurred_on or timezone.localdate()
        if day > timezone.localdate():
            raise RepairError("the day it happened is in the future")
        rupture_at = _start_of(day)
    now = timezone.now()
    try:
        with transaction.atomic():
            log = RepairLog.objects.create(
                client=client,
                therapist=actor.user,
                signal=signal,
                rupture_at=rupture_at,
                what_happened=what_happened,
                client_impact=client_impact.strip(),
                acknowledgement=acknowledgement.strip(),
                apology=apology.strip(),
                commitment=commitment.strip(),
                follow_up_on=follow_up_on,
                opened_at=now,
            )
    except IntegrityError:  # the same signal, opened a moment ago from another tab
        raise RepairExists(RepairLog.objects.get(signal=signal)) from None
    _trail(
        actor,
        log,
        TrailAction.CREATE,
        f"opened from {signal.rule} signal {signal.pk}" if signal else "opened by hand",
    )
    if signal is not None and signal.state == SignalState.OPEN:
        measures_services.signal_acknowledge(actor=actor, signal=signal)
    return log


@transaction.atomic
def repair_update(
    *, actor: StaffActor, log: RepairLog, version: int, follow_up_on: date, **texts: str
) -> RepairLog:
    """Save a therapist's edit of an open log, made on ``version`` of it.

    An edit based on an older version raises ``RepairConflict`` carrying the saved log, so the
    page can show both and nothing is silently overwritten.  A follow-up date already in the
    past may stay as it was, but a new one must not be in the past.
    """
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown repair log fields: {', '.join(sorted(unknown))}")
    log = RepairLog.objects.select_for_update().get(pk=log.pk)
    if not log.is_open:
        raise RepairStateError("this log is closed, so it can no longer be edited")
    _client_on_caseload(actor, log.client_id)
    if log.version != version:
        raise RepairConflict(log)
    if "what_happened" in texts and not texts["what_happened"].strip():
        raise RepairError("say what happened")
    _check_follow_up(follow_up_on, saved=log.follow_up_on)
    changed = [name for name, value in texts.items() if getattr(log, name) != value.strip()]
    for name, value in texts.items():
        setattr(log, name, value.strip())
    if follow_up_on != log.follow_up_on:
        changed.append("follow_up_on")
        log.follow_up_on = follow_up_on
    log.version += 1
    log.save(update_fields=[*TEXT_FIELDS, "follow_up_on", "version", "updated_at"])
    _trail(actor, log, TrailAction.UPDATE, "edited: " + (", ".join(changed) or "nothing"))
    return log


@transaction.atomic
def repair_close(
    *, actor: StaffActor, log: RepairLog, outcome: str, closed_on: date, note: str = ""
) -> RepairLog:
    """Close an open log as held, not held, or the client chose not to continue.

    The therapist decides; the suggestion the log page shows is only a suggestion.  A log can
    be closed after the client's episode ended (that is often when it is closed), but only by
    the client's therapist, and only once.
    """
    if outcome not in CLOSED_STATUSES:
        raise RepairError("choose whether the repair held, did not hold, or the client stopped")
    log = RepairLog.objects.select_for_update().select_related("client").get(pk=log.pk)
    if log.client.therapist_id != actor.user.pk:
        raise ClientNotOnCaseload("this client is no longer on your caseload")
    if not log.is_open:
        closed = f" on {log.closed_on.day} {log.closed_on:%B %Y}" if log.closed_on else ""
        raise RepairStateError(
            f"this log was already closed ({log.get_status_display().lower()}){closed}"
        )
    if closed_on > timezone.localdate():
        raise RepairError("the date is in the future")
    if closed_on < timezone.localtime(log.opened_at).date():
        raise RepairError("the date is before the log was opened")
    log.status = RepairStatus(outcome)
    log.closed_at, log.closed_on, log.closed_by = timezone.now(), closed_on, actor.user
    log.close_note = note.strip()
    log.version += 1
    log.save(
        update_fields=[
            "status",
            "closed_at",
            "closed_on",
            "closed_by",
            "close_note",
            "version",
            "updated_at",
        ]
    )
    _trail(actor, log, TrailAction.UPDATE, f"closed: {outcome}")
    return log
