"""The measures app's background tasks (django-tasks, database backend).

What goes through the queue is a check-in's one reminder and its expiry, queued with nothing but
the check-in's id (the reminder carries no link, and the expiry only deletes), and the retry of a
text held by quiet hours or a passing failure, by the delivery's id.  Invitations never do: see
``attune.measures.invitations``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django_tasks import task

from attune.access.actor import Actor
from attune.measures.delivery import sms_attempt
from attune.measures.followups import checkin_expire, checkin_remind

logger = logging.getLogger(__name__)


# Background tasks ----------------------------------------------------------------------------
# Their arguments are stored in the queue table as they are: ids only, never a token or words.


@task()
def remind_checkin(checkin_id: int) -> bool:
    """Send the check-in's one reminder if the client can still answer it."""
    return checkin_remind(actor=Actor.system(), checkin_id=checkin_id)


@task()
def send_text(delivery_id: int) -> str:
    """Try again to send a check-in's text held by quiet hours or a passing failure."""
    return sms_attempt(delivery_id=delivery_id)


@task()
def expire_checkin(checkin_id: int) -> bool:
    """Close the check-in whose link has expired: its saved draft goes."""
    return checkin_expire(actor=Actor.system(), checkin_id=checkin_id)


def enqueue_followups(*, checkin_id: int, sent_at: datetime, expires_at: datetime) -> None:
    """Queue the reminder (after ``ATTUNE_CHECKIN_REMINDER_HOURS``) and the expiry of a check-in.

    Called once the check-in is committed.  If the queue cannot be written, the check-in stays
    sent and the cron sweeps catch up: ``send_checkin_reminders`` sends the reminder and
    ``send_scheduled_checkins`` deletes the drafts of expired check-ins.
    """
    remind_at = sent_at + timedelta(hours=settings.ATTUNE_CHECKIN_REMINDER_HOURS)
    for followup, run_after in ((remind_checkin, remind_at), (expire_checkin, expires_at)):
        try:
            followup.using(run_after=run_after).enqueue(checkin_id)
        except Exception:
            logger.exception("queueing %s of check-in %s failed", followup.name, checkin_id)
