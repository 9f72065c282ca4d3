"""Supervision meetings: planning, recording notes and actions afterwards, closing actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.relationships.models import SupervisionPair
from attune.supervision.models import ActionStatus, MeetingAction, MeetingStatus, SupervisionMeeting


class MeetingError(ValueError):
    """The meeting cannot change that way; the message is for people."""


class StaleEditError(MeetingError):
    """Someone saved this since it was opened; nothing was overwritten."""


def _trail(actor: Actor, obj, object_type: str, action: str, detail: str) -> None:
    trail.record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_ref=obj.pk,
        section="supervision",
        detail=detail,
    )


@transaction.atomic
def meeting_plan(*, actor: StaffActor, pair: SupervisionPair, meets_on: date) -> SupervisionMeeting:
    """Plan a meeting of ``pair`` on ``meets_on``; one meeting per pair and day."""
    if meets_on < pair.starts_on or (pair.ends_on is not None and meets_on > pair.ends_on):
        raise MeetingError("Choose a date while the supervision pair is in force.")
    try:
        with transaction.atomic():
            meeting = SupervisionMeeting.objects.create(
                pair=pair, meets_on=meets_on, created_by=actor.user
            )
    except IntegrityError as error:
        raise MeetingError("There is already a meeting on that date.") from error
    _trail(actor, meeting, "supervision_meeting", TrailAction.CREATE, f"on {meets_on.isoformat()}")
    return meeting


@transaction.atomic
def meeting_record(
    *,
    actor: StaffActor,
    meeting: SupervisionMeeting,
    status: str,
    notes: str,
    version: int,
    actions: Sequence[str] = (),
) -> SupervisionMeeting:
    """Save the meeting's status and notes and add the actions agreed, if ``version`` is current.

    A save from a page opened before someone else's save raises StaleEditError and changes
    nothing, so two tabs never silently overwrite each other.
    """
    if status not in MeetingStatus.values:
        raise MeetingError("Choose whether the meeting is planned, held or cancelled.")
    if actions and status != MeetingStatus.HELD:
        raise MeetingError("Actions are agreed in a meeting that was held.")
    changed = SupervisionMeeting.objects.filter(pk=meeting.pk, version=version).update(
        status=status, notes=notes, version=F("version") + 1, updated_at=timezone.now()
    )
    if not changed:
        raise StaleEditError(
            "Someone saved this meeting after you opened it. Your text is below; "
            "check the saved version and save again."
        )
    meeting.refresh_from_db()
    for text in actions:
        MeetingAction.objects.create(
            meeting=meeting, text=text, owner=meeting.pair.supervisee, created_by=actor.user
        )
    _trail(
        actor,
        meeting,
        "supervision_meeting",
        TrailAction.UPDATE,
        f"{status}, notes saved (version {meeting.version}), {len(actions)} actions added",
    )
    return meeting


@transaction.atomic
def action_close(*, actor: Actor, action: MeetingAction, status: str) -> MeetingAction:
    """Mark an open action done or no longer needed."""
    if status not in (ActionStatus.DONE, ActionStatus.DROPPED):
        raise MeetingError("Choose done or no longer needed.")
    changed = MeetingAction.objects.filter(pk=action.pk, status=ActionStatus.OPEN).update(
        status=status, closed_at=timezone.now()
    )
    if not changed:
        raise MeetingError("This action was already closed.")
    action.refresh_from_db()
    _trail(actor, action, "supervision_action", TrailAction.UPDATE, status)
    return action
