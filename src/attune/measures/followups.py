"""What follows a sent check-in: its one reminder and its expiry, run by the task worker.

The tasks in ``attune.measures.tasks`` call these with a check-in's id; each claims its work
with a conditional UPDATE, so it happens once however often it runs.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction
from attune.clients.models import Client
from attune.measures.contact import invitation_channels
from attune.measures.invitations import deliver_reminder
from attune.measures.models import (
    CheckIn,
    CheckInDraft,
)

# Reminders and expiry ----------------------------------------------------------------------
#
# ``checkin_send`` queues two background tasks for each check-in (``attune.measures.tasks``):
# the one reminder, ``ATTUNE_CHECKIN_REMINDER_HOURS`` after sending, and the expiry, when the
# link expires.  They carry only the check-in's id; the functions below do the work, and do it
# once however often they run.  ``checkin_reminders_due`` is the same reminder as a sweep, for
# check-ins whose task was lost; both claim the check-in the same way, so together they still
# remind once.


def _checkins_waiting(now) -> QuerySet[CheckIn]:
    """Check-ins the client can still answer and has not been reminded of."""
    return CheckIn.objects.filter(
        reminder_sent_at__isnull=True,
        expires_at__gt=now,
        link__used_at__isnull=True,
        link__revoked_at__isnull=True,
        client__closed_at__isnull=True,
    )


def checkin_remind(*, actor: Actor, checkin_id: int, now=None) -> bool:
    """Send the one reminder of check-in ``checkin_id`` if the client can still answer it.

    Nothing is sent when it was answered, expired, its link revoked, the client's episode of
    care closed, a reminder already sent, or the client cannot be reached with consent.
    Return whether a reminder went.
    """
    now = now or timezone.now()
    found = _checkins_waiting(now).select_related("client").filter(pk=checkin_id).first()
    if found is None:
        return False
    return _checkin_remind_claimed(actor=actor, checkin=found, client=found.client, now=now)


def checkin_reminders_due(*, actor: Actor, now=None, after_hours: int | None = None) -> int:
    """Remind clients once about check-ins still unanswered ``after_hours`` after sending.

    The reminder tasks do this for each check-in on time; this sweep catches any whose task
    never ran.  Return how many reminders were sent.
    """
    now = now or timezone.now()
    hours = after_hours or settings.ATTUNE_CHECKIN_REMINDER_HOURS
    due = list(
        _checkins_waiting(now)
        .filter(sent_at__lte=now - timedelta(hours=hours))
        .only("pk", "client_id")
    )
    clients = Client.objects.in_bulk({checkin.client_id for checkin in due})
    return sum(
        _checkin_remind_claimed(
            actor=actor, checkin=checkin, client=clients[checkin.client_id], now=now
        )
        for checkin in due
    )


@transaction.atomic
def _checkin_remind_claimed(*, actor: Actor, checkin: CheckIn, client: Client, now) -> bool:
    """Claim the check-in's one reminder with a conditional UPDATE, then send it on commit.

    The UPDATE only changes a row whose ``reminder_sent_at`` is still empty, so of two runs at
    once (a task run twice, or a task and the sweep) exactly one claims it.  The reminder
    carries no link (only the link's hash is stored): it asks the client to look for the
    earlier message.
    """
    channels = invitation_channels(client)
    if not channels:
        return False  # no consented way to reach them: nothing to claim
    claimed = CheckIn.objects.filter(
        pk=checkin.pk, reminder_sent_at__isnull=True, expires_at__gt=now
    ).update(reminder_sent_at=now)
    if not claimed:
        return False
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        client_id=client.pk,
        object_type="checkin",
        object_ref=checkin.pk,
        section="measures",
        detail=f"reminder by {', '.join(channels)}",
    )
    transaction.on_commit(lambda: deliver_reminder(client.pk, checkin.pk))
    return True


@transaction.atomic
def checkin_expire(*, actor: Actor, checkin_id: int, now=None) -> bool:
    """Close check-in ``checkin_id`` once its link has expired: delete the answers saved so far.

    Claimed with a conditional UPDATE on ``expiry_handled_at``, so a second run changes nothing
    and writes nothing.  A check-in that expired unanswered, or that still had a draft, gets a
    trail entry; an answered one has nothing left to delete.  Before the link expires nothing
    happens.  Return whether this run closed it.
    """
    now = now or timezone.now()
    checkin = CheckIn.objects.select_related("link").filter(pk=checkin_id).first()
    if checkin is None or checkin.expires_at > now:
        return False
    claimed = CheckIn.objects.filter(pk=checkin_id, expiry_handled_at__isnull=True).update(
        expiry_handled_at=now
    )
    if not claimed:
        return False
    drafts, _ = CheckInDraft.objects.filter(checkin_id=checkin_id).delete()
    answered = checkin.link.used_at is not None
    if drafts or not answered:
        trail.record(
            actor=actor,
            action=TrailAction.UPDATE,
            client_id=checkin.client_id,
            object_type="checkin",
            object_ref=checkin_id,
            section="measures",
            detail=("link expired after the answer" if answered else "expired unanswered")
            + ("; the saved draft deleted" if drafts else ""),
        )
    return True
