"""Reads of therapy sessions.  Reading a client's sessions is a read of their record."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from attune.access import trail
from attune.access.actor import StaffActor
from attune.access.models import TrailAction
from attune.access.policy import own_clients_scope
from attune.access.refusals import refused_client, refused_for
from attune.care.models import SessionStatus, TherapySession
from attune.clients import queries as client_queries
from attune.clients.models import Client


def client_sessions(*, actor: StaffActor, client_id: int) -> tuple[Client, list[TherapySession]]:
    """Return a client and their sessions, newest first, recording the read; else 404."""
    client = client_queries.client_record(actor=actor, client_id=client_id, section="sessions")
    if not actor.user.has_perm("care.view_sessions", client):
        raise refused_client(actor, client, section="sessions")
    sessions = list(client.therapy_sessions.order_by("-starts_at", "-pk"))
    return client, sessions


def session_for_action(*, actor: StaffActor, session_id: int) -> TherapySession:
    """Return a session of one of ``actor``'s own clients, or raise 404."""
    session = (
        TherapySession.objects.filter(own_clients_scope(actor.user), pk=session_id)
        .select_related("client")
        .first()
    )
    if session is None or not actor.user.has_perm("care.manage_sessions", session.client):
        raise refused_for(actor, TherapySession, session_id, section="sessions")
    return session


def session_to_confirm(*, actor: StaffActor, session_id: int) -> TherapySession:
    """Return a session of ``actor``'s own client to confirm an action on, recording the read.

    The confirmation page shows the client's name and the session's time.
    """
    session = session_for_action(actor=actor, session_id=session_id)
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=session.client_id,
        object_type="therapy_session",
        object_ref=session.pk,
        section="sessions",
        detail="asked to confirm a missed session",
    )
    return session


@dataclass(frozen=True)
class SessionsGlance:
    """The sessions a client's page shows near its top: what comes next and what just happened."""

    upcoming: list[TherapySession]
    recent: list[TherapySession]

    @property
    def any(self) -> bool:
        return bool(self.upcoming or self.recent)


def sessions_glance(client: Client, *, upcoming: int = 3, recent: int = 3) -> SessionsGlance:
    """Return ``client``'s next scheduled sessions (soonest first) and latest past ones.

    The caller has already read and trailed the client's record (the client's page does).
    """
    now = timezone.now()
    sessions = client.therapy_sessions
    return SessionsGlance(
        upcoming=list(
            sessions.filter(status=SessionStatus.SCHEDULED, starts_at__gte=now).order_by(
                "starts_at", "pk"
            )[:upcoming]
        ),
        recent=list(sessions.filter(starts_at__lt=now).order_by("-starts_at", "-pk")[:recent]),
    )
