"""Reads of supervision meetings; out-of-scope pairs and meetings answer 404."""

from __future__ import annotations

from django.http import Http404

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.relationships.models import SupervisionPair
from attune.supervision.models import MeetingAction, SupervisionMeeting


def _viewed(actor: Actor, object_type: str, ref: int) -> None:
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        object_type=object_type,
        object_ref=ref,
        section="supervision",
    )


def pair_for(*, actor: StaffActor, pair_id: int, perm: str = "supervision.view_meetings"):
    """Return the pair ``actor`` may use for ``perm``, or raise 404."""
    pair = (
        SupervisionPair.objects.select_related("supervisor", "supervisee")
        .filter(pk=pair_id)
        .first()
    )
    if pair is None or not actor.user.has_perm(perm, pair):
        raise Http404
    _viewed(actor, "supervision_pair", pair.pk)
    return pair


def meetings_of(pair) -> list[SupervisionMeeting]:
    """Return the pair's meetings, newest first."""
    return list(pair.meetings.order_by("-meets_on", "-pk"))


def meeting_for(
    *, actor: StaffActor, meeting_id: int, perm: str = "supervision.view_agenda"
) -> SupervisionMeeting:
    """Return the meeting ``actor`` may use for ``perm``, or raise 404."""
    meeting = (
        SupervisionMeeting.objects.select_related("pair__supervisor", "pair__supervisee")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or not actor.user.has_perm(perm, meeting):
        raise Http404
    _viewed(actor, "supervision_meeting", meeting.pk)
    return meeting


def meeting_actions(meeting: SupervisionMeeting) -> list:
    """Return the actions agreed at ``meeting``."""
    return list(meeting.actions.select_related("owner").order_by("created_at", "pk"))


def action_for(*, actor: StaffActor, action_id: int):
    """Return an action of a meeting ``actor`` records, or raise 404."""
    action = MeetingAction.objects.select_related("meeting__pair").filter(pk=action_id).first()
    if action is None or not actor.user.has_perm("supervision.record_meeting", action.meeting):
        raise Http404
    return action
