"""Reads of therapy sessions.  Reading a client's sessions is a read of their record."""

from __future__ import annotations

from attune.access.actor import Actor
from attune.access.policy import own_clients_scope
from attune.access.refusals import refused_client, refused_for
from attune.care.models import TherapySession
from attune.clients import queries as client_queries
from attune.clients.models import Client


def client_sessions(*, actor: Actor, client_id: int) -> tuple[Client, list[TherapySession]]:
    """Return a client and their sessions, newest first, recording the read; else 404."""
    client = client_queries.client_record(actor=actor, client_id=client_id, section="sessions")
    if not actor.user.has_perm("care.view_sessions", client):
        raise refused_client(actor, client, section="sessions")
    sessions = list(client.therapy_sessions.order_by("-starts_at", "-pk"))
    return client, sessions


def session_for_action(*, actor: Actor, session_id: int) -> TherapySession:
    """Return a session of one of ``actor``'s own clients, or raise 404."""
    session = (
        TherapySession.objects.filter(own_clients_scope(actor.user), pk=session_id)
        .select_related("client")
        .first()
    )
    if session is None or not actor.user.has_perm("care.manage_sessions", session.client):
        raise refused_for(actor, TherapySession, session_id, section="sessions")
    return session
