"""Anonymous failures in the trail, bounded: one entry per address, kind and hour, plus a count.

Forged or stale forms, oversize bodies, failed sign-ins, lockouts and bad link tokens come from
people nobody knows yet, and anyone can send millions.  Each still reaches the trail, but not
each as a row: the first of the hour from an address is written at once, with its detail; the
others of that hour only raise a counter (``AnonymousFailureTally``); once the hour has closed,
one summary entry says how many more there were.  So a flood from one address adds at most two
trail rows per kind (and, for sign-ins, per real account named) per hour, whatever its size.

A failure by a signed-in staff member is written in full, as everything they do is.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import AnonymousFailureTally

RATE_WINDOW = timedelta(minutes=1)


def _hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def note_failure(
    *,
    actor: Actor,
    action: str,
    detail: str = "",
    subject: str = "",
    object_type: str = "",
    client_id: int | None = None,
    object_ref: object = "",
) -> bool:
    """Record one failure; return whether it was written to the trail now (else counted).

    ``subject`` splits the count (a real account's name for a failed sign-in); leave it empty
    for anything a visitor chooses freely, or the bound would be theirs to choose.
    """

    def write() -> bool:
        trail.record(
            actor=actor,
            action=action,
            detail=detail,
            object_type=object_type,
            client_id=client_id,
            object_ref=object_ref,
        )
        return True

    if actor.user is not None:
        return write()
    now = timezone.now()
    hour = _hour_of(now)
    key = {
        "ip": trail.normalised_ip(actor.ip) or "",
        "action": action,
        "subject": subject[:150],
        "hour": hour,
    }
    with transaction.atomic():
        flush(before=hour)
        if _count(key, now):
            return False
        try:
            with transaction.atomic():
                AnonymousFailureTally.objects.create(
                    **key, count=1, window_start=now, window_count=1
                )
        except IntegrityError:  # another request created it first
            _count(key, now)
            return False
        return write()


def _count(key: dict, now: datetime) -> bool:
    """Add one to an existing tally (and to its rate window); return whether there was one."""
    fresh = now - RATE_WINDOW
    return bool(
        AnonymousFailureTally.objects.filter(**key).update(
            count=F("count") + 1,
            window_count=Case(
                When(window_start__gt=fresh, then=F("window_count") + 1), default=Value(1)
            ),
            window_start=Case(When(window_start__gt=fresh, then=F("window_start")), default=now),
        )
    )


def recent_failures(*, ip: str | None, action: str) -> int:
    """Return how many failures of ``action`` came from ``ip`` in the current rate window."""
    now = timezone.now()
    tally = (
        AnonymousFailureTally.objects.filter(
            ip=trail.normalised_ip(ip) or "",
            action=action,
            hour=_hour_of(now),
            window_start__gt=now - RATE_WINDOW,
        )
        .values_list("window_count", flat=True)
        .first()
    )
    return tally or 0


def flush(*, before: datetime | None = None) -> int:
    """Write one summary entry per closed tally that counted more than its first failure.

    Called by every anonymous failure and by ``attune trail checkpoint`` (the nightly job), so
    counts reach the trail within an hour of any later activity and at the latest by the next
    checkpoint.  Returns the number of summary entries written.
    """
    before = before or _hour_of(timezone.now())
    written = 0
    with transaction.atomic():
        closed = list(
            AnonymousFailureTally.objects.select_for_update(skip_locked=True).filter(
                hour__lt=before
            )
        )
        for tally in closed:
            if tally.count > 1:
                named = f" (account {tally.subject!r})" if tally.subject else ""
                trail.record(
                    actor=Actor(ip=tally.ip or None),
                    action=tally.action,
                    detail=(
                        f"{tally.count - 1} more from this address{named} in the hour from "
                        f"{tally.hour:%Y-%m-%d %H}:00 UTC, counted, not trailed one by one"
                    ),
                )
                written += 1
        AnonymousFailureTally.objects.filter(pk__in=[tally.pk for tally in closed]).delete()
    return written
