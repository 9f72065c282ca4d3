"""Held sessions and notes for the session-note tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from attune.access.actor import Actor
from attune.care import services
from attune.care.models import SessionNote, SessionStatus, TherapySession


def held_session(client, *, days_ago: int = 1) -> TherapySession:
    """Return a session of ``client`` with their therapist, already held (no check-in sent)."""
    starts_at = timezone.now() - timedelta(days=days_ago)
    return TherapySession.objects.create(
        client=client,
        therapist=client.therapist,
        starts_at=starts_at,
        status=SessionStatus.HELD,
        held_at=starts_at,
    )


def write_note(session: TherapySession, text: str) -> SessionNote:
    """Save a new version of the session's note as the client's therapist."""
    current = SessionNote.objects.filter(session=session, superseded_at__isnull=True).first()
    return services.note_save(
        actor=Actor(user=session.client.therapist),
        session=session,
        text=text,
        version=current.version if current else 0,
    )
