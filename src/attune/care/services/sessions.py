"""Every write to therapy sessions: one function each, atomic, with its trail entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import dateformat, timezone

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.care.models import CancelledBy, InterpreterUse, SessionStatus, TherapySession
from attune.care.queries.plans import current_goals
from attune.clients.models import Client
from attune.measures import services as measures_services


class SessionStateError(ValueError):
    """The session cannot change that way (for example, holding a cancelled session)."""


def _trail(actor: Actor, session: TherapySession, action: str, detail: str) -> None:
    trail.record(
        actor=actor,
        action=action,
        client_id=session.client_id,
        object_type="therapy_session",
        object_ref=session.pk,
        section="sessions",
        detail=detail,
    )


@transaction.atomic
def session_schedule(*, actor: StaffActor, client: Client, starts_at: datetime) -> TherapySession:
    """Schedule a session of ``client`` with their therapist."""
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be timezone-aware")
    session = TherapySession.objects.create(
        client=client, therapist=client.therapist or actor.user, starts_at=starts_at
    )
    starts = dateformat.format(timezone.localtime(starts_at), "j M Y, H:i T")
    _trail(actor, session, TrailAction.CREATE, f"scheduled for {starts}")
    return session


@dataclass(frozen=True)
class HeldSession:
    """A session marked held and the check-in it sent (its URL is shown to staff once)."""

    session: TherapySession
    checkin_url: str
    delivered_by: tuple[str, ...]
    sms_opted_out_at: datetime | None = None


@transaction.atomic
def session_mark_held(
    *,
    actor: Actor,
    session: TherapySession,
    base_url: str,
    goal_texts: Sequence[str] = (),
    interpreter: str = InterpreterUse.NOT_RECORDED,
) -> HeldSession:
    """Mark a session held and send the client its check-in, with their goals.

    The goals are those of the client's current plan when there is one; otherwise the goals the
    client named (``goal_texts``, up to three), if any. ``interpreter`` records whether the
    session had the interpreter the client needed (``InterpreterUse``).
    """
    if interpreter not in InterpreterUse.values:
        raise ValueError(f"unknown interpreter use {interpreter!r}")
    session = TherapySession.objects.select_for_update().select_related("client").get(pk=session.pk)
    if session.status not in (SessionStatus.SCHEDULED, SessionStatus.NO_SHOW):
        raise SessionStateError(f"a {session.get_status_display().lower()} session cannot be held")
    session.status = SessionStatus.HELD
    session.held_at = timezone.now()
    session.interpreter = interpreter
    session.save(update_fields=["status", "held_at", "interpreter", "updated_at"])
    detail = "marked held" + (f"; interpreter: {interpreter}" if interpreter else "")
    _trail(actor, session, TrailAction.UPDATE, detail)
    plan_goals = current_goals(session.client)
    sent = measures_services.checkin_send(
        actor=actor,
        client=session.client,
        session=session,
        goal_texts=plan_goals or goal_texts,
        goals_from_plan=bool(plan_goals),
        base_url=base_url,
    )
    return HeldSession(
        session=session,
        checkin_url=sent.url,
        delivered_by=sent.delivered_by,
        sms_opted_out_at=sent.sms_opted_out_at,
    )


@transaction.atomic
def session_cancel(*, actor: Actor, session: TherapySession, cancelled_by: str) -> TherapySession:
    """Cancel a scheduled session, noting who cancelled it."""
    if cancelled_by not in CancelledBy.values:
        raise ValueError(f"unknown canceller {cancelled_by!r}")
    session = TherapySession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.SCHEDULED:
        raise SessionStateError("only a scheduled session can be cancelled")
    session.status = SessionStatus.CANCELLED
    session.cancelled_by = cancelled_by
    session.save(update_fields=["status", "cancelled_by", "updated_at"])
    _trail(actor, session, TrailAction.UPDATE, f"cancelled by {cancelled_by}")
    return session


@transaction.atomic
def session_mark_no_show(*, actor: Actor, session: TherapySession) -> TherapySession:
    """Record that the client did not come to a scheduled session that has started.

    A missed session counts in the agency's no-show figures, so one that has not started yet
    is refused: nobody can know yet that the client will not come.
    """
    session = TherapySession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.SCHEDULED:
        raise SessionStateError("only a scheduled session can be marked as missed")
    if session.starts_at > timezone.now():
        starts = dateformat.format(timezone.localtime(session.starts_at), "j M Y, H:i")
        raise SessionStateError(
            f"this session starts on {starts}; you can record that the client did not come "
            "once it has started"
        )
    session.status = SessionStatus.NO_SHOW
    session.save(update_fields=["status", "updated_at"])
    _trail(actor, session, TrailAction.UPDATE, "client did not come")
    return session
