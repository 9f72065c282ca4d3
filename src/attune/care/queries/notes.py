"""Reads of session notes.  Every read of a note is a read of the client's record, trailed."""

from __future__ import annotations

from dataclasses import dataclass

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.access.policy import client_record_scope
from attune.access.refusals import refused_client, refused_for
from attune.care.models import SessionNote, SessionStatus, TherapySession
from attune.clients import queries as client_queries
from attune.clients.models import Client


@dataclass(frozen=True)
class NoteRow:
    """A held session and its current note (None while it has none)."""

    session: TherapySession
    note: SessionNote | None


def _trail(actor: Actor, session: TherapySession, note: SessionNote | None, detail: str) -> None:
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=session.client_id,
        object_type="session_note" if note is not None else "therapy_session",
        object_ref=note.pk if note is not None else session.pk,
        section="notes",
        detail=detail,
    )


def client_notes(*, actor: StaffActor, client_id: int) -> tuple[Client, list[NoteRow]]:
    """Return a client and each held session with its current note, newest first; else 404.

    Two queries for the notes whatever their number; the read is in the trail.
    """
    client = client_queries.client_record(actor=actor, client_id=client_id, section="notes")
    if not actor.user.has_perm("care.view_notes", client):
        raise refused_client(actor, client, section="notes")
    sessions = list(
        client.therapy_sessions.filter(status=SessionStatus.HELD).order_by("-starts_at", "-pk")
    )
    notes = {
        note.session_id: note
        for note in SessionNote.objects.filter(client=client, superseded_at__isnull=True)
    }
    return client, [NoteRow(session, notes.get(session.pk)) for session in sessions]


def _held_session(actor: Actor, session_id: int) -> TherapySession:
    session = (
        TherapySession.objects.filter(
            client__in=Client.objects.filter(client_record_scope(actor.user)).values("pk"),
            pk=session_id,
            status=SessionStatus.HELD,
        )
        .select_related("client")
        .first()
    )
    if session is None:
        raise refused_for(actor, TherapySession, session_id, section="notes")
    return session


@dataclass(frozen=True)
class NotePage:
    session: TherapySession
    note: SessionNote | None
    earlier_versions: int
    can_write: bool


def note_for_view(*, actor: StaffActor, session_id: int) -> NotePage:
    """Return a held session's current note for a permitted reader, recording it; else 404."""
    session = _held_session(actor, session_id)
    if not actor.user.has_perm("care.view_notes", session.client):
        raise refused_for(actor, TherapySession, session.pk, section="notes")
    note = SessionNote.objects.filter(session=session, superseded_at__isnull=True).first()
    earlier = note.version - 1 if note is not None else 0
    _trail(actor, session, note, "read" if note is not None else "no note yet")
    return NotePage(
        session=session,
        note=note,
        earlier_versions=earlier,
        can_write=actor.user.has_perm("care.write_note", session.client),
    )


def note_for_writing(
    *, actor: StaffActor, session_id: int
) -> tuple[TherapySession, SessionNote | None]:
    """Return a held session of ``actor``'s own client and its current note, recorded; else 404."""
    session = _held_session(actor, session_id)
    if not actor.user.has_perm("care.write_note", session.client):
        raise refused_for(actor, TherapySession, session.pk, section="notes")
    note = SessionNote.objects.filter(session=session, superseded_at__isnull=True).first()
    _trail(actor, session, note, "opened to write")
    return session, note


def note_versions(
    *, actor: StaffActor, session_id: int
) -> tuple[TherapySession, list[SessionNote]]:
    """Return every version of a session's note, newest first, recording the read; else 404."""
    session = _held_session(actor, session_id)
    if not actor.user.has_perm("care.view_notes", session.client):
        raise refused_for(actor, TherapySession, session.pk, section="notes")
    versions = list(SessionNote.objects.filter(session=session).select_related("written_by"))
    _trail(actor, session, versions[0] if versions else None, f"{len(versions)} versions read")
    return session, versions
