"""Writes about check-in schedules: making, pausing, resuming and stopping them, and the
scheduled sends they make.

Each function is atomic and writes its trail entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction
from attune.clients.models import Client
from attune.measures.goals import GOALS_CHECKIN
from attune.measures.models import (
    MAX_INTERVAL_WEEKS,
    CheckInSchedule,
    ScheduleState,
    StoredInstrument,
)
from attune.measures.services.checkins import checkin_send, clean_goal_texts
from attune.measures.services.instruments import InstrumentNotReady

# Schedules ---------------------------------------------------------------------------------


class ScheduleError(ValueError):
    """A schedule cannot be made or changed that way; the message says why, for staff."""


def _trail_schedule(actor: Actor, schedule: CheckInSchedule, action: str, detail: str) -> None:
    trail.record(
        actor=actor,
        action=action,
        client_id=schedule.client_id,
        object_type="checkin_schedule",
        object_ref=schedule.pk,
        section="measures",
        detail=detail,
    )


@transaction.atomic
def schedule_create(
    *,
    actor: Actor,
    client: Client,
    instrument: StoredInstrument,
    interval_weeks: int,
    first_due_on: date,
    goal_texts: Sequence[str] = (),
) -> CheckInSchedule:
    """Send ``instrument`` to ``client`` every ``interval_weeks`` weeks from ``first_due_on``.

    One live (active or paused) schedule per client and measure; the client's goals, if
    named, are rated on the same page each time.
    """
    if not 1 <= interval_weeks <= MAX_INTERVAL_WEEKS:
        raise ScheduleError(f"the interval is 1 to {MAX_INTERVAL_WEEKS} weeks")
    if client.closed_at is not None:
        raise ScheduleError("this client's episode of care is closed")
    if instrument.name == GOALS_CHECKIN:
        raise ScheduleError("choose a measure; goals are added with it")
    if instrument.needs_review:
        raise ScheduleError(f"{instrument.title} needs review by a leader before it can be sent")
    goals = clean_goal_texts(goal_texts)
    duplicate = ScheduleError(
        f"{instrument.title} is already scheduled for this client; change or stop that schedule"
    )
    live = CheckInSchedule.objects.filter(client=client, instrument=instrument).exclude(
        state=ScheduleState.STOPPED
    )
    if live.exists():
        raise duplicate
    try:
        with transaction.atomic():
            schedule = CheckInSchedule.objects.create(
                client=client,
                instrument=instrument,
                goal_texts=goals or {},
                interval_weeks=interval_weeks,
                next_due_on=first_due_on,
                created_by=actor.user,
            )
    except IntegrityError:  # made by a concurrent request a moment ago
        raise duplicate from None
    _trail_schedule(
        actor,
        schedule,
        TrailAction.CREATE,
        f"{instrument.name} every {interval_weeks} week(s) from {first_due_on.isoformat()}"
        + (f" with {len(goals)} goal(s)" if goals else ""),
    )
    return schedule


SCHEDULE_CHANGES = {
    "pause": ((ScheduleState.ACTIVE,), ScheduleState.PAUSED),
    "resume": ((ScheduleState.PAUSED,), ScheduleState.ACTIVE),
    "stop": ((ScheduleState.ACTIVE, ScheduleState.PAUSED), ScheduleState.STOPPED),
}


@transaction.atomic
def schedule_change(
    *, actor: Actor, schedule: CheckInSchedule, change: str, today: date | None = None
) -> CheckInSchedule:
    """Pause, resume or stop a schedule.  A resumed schedule sends nothing for the past."""
    if change not in SCHEDULE_CHANGES:
        raise ScheduleError(f"unknown change {change!r}")
    allowed, new_state = SCHEDULE_CHANGES[change]
    schedule = CheckInSchedule.objects.select_for_update().get(pk=schedule.pk)
    if schedule.state not in allowed:
        raise ScheduleError(f"a {schedule.get_state_display().lower()} schedule cannot {change}")
    fields = ["state", "updated_at"]
    schedule.state = new_state
    if change == "resume":
        today = today or timezone.localdate()
        if schedule.next_due_on < today:
            schedule.next_due_on = today
            fields.append("next_due_on")
    schedule.save(update_fields=fields)
    _trail_schedule(actor, schedule, TrailAction.UPDATE, f"schedule {new_state}")
    return schedule


def next_due_after(due_on: date, interval_weeks: int, today: date) -> date:
    """Return the first date after ``today`` on the schedule's rhythm from ``due_on``.

    A schedule that could not send for a while (the command did not run) sends once, not once
    for every period it missed.
    """
    step = timedelta(weeks=interval_weeks)
    following = due_on + step
    if following <= today:
        periods = (today - following) // step + 1
        following += step * periods
    return following


def scheduled_checkins_due(*, actor: Actor, base_url: str, today: date | None = None) -> int:
    """Issue and send every scheduled check-in due by ``today``; return how many were sent.

    Each schedule is locked while its check-in is issued and its next date moved on, and the
    check-in is unique on (schedule, due date): two runs, at once or one after the other, send
    each due check-in once.  Closed clients' and paused or stopped schedules send nothing.
    """
    today = today or timezone.localdate()
    due = CheckInSchedule.objects.filter(
        state=ScheduleState.ACTIVE, next_due_on__lte=today, client__closed_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(
        _scheduled_checkin_send(actor=actor, schedule_id=pk, base_url=base_url, today=today)
        for pk in list(due)
    )


@transaction.atomic
def _scheduled_checkin_send(*, actor: Actor, schedule_id: int, base_url: str, today: date) -> bool:
    schedule = (
        CheckInSchedule.objects.select_for_update(of=("self",))
        .select_related("client", "instrument")
        .filter(pk=schedule_id)
        .first()
    )
    if (
        schedule is None
        or schedule.state != ScheduleState.ACTIVE
        or schedule.next_due_on > today
        or schedule.client.closed_at is not None
    ):
        return False  # changed, sent or closed since the list was read
    due_on = schedule.next_due_on
    sent = True
    try:
        with transaction.atomic():
            checkin_send(
                actor=actor,
                client=schedule.client,
                instrument=schedule.instrument,
                goal_texts=schedule.goal_texts or (),
                base_url=base_url,
                schedule=schedule,
                due_on=due_on,
            )
    except IntegrityError:  # already issued for this date: only move the date on
        sent = False
    except InstrumentNotReady:
        return False  # held for review: stays due, and is sent once a leader accepts it
    schedule.next_due_on = next_due_after(due_on, schedule.interval_weeks, today)
    schedule.save(update_fields=["next_due_on", "updated_at"])
    return sent
