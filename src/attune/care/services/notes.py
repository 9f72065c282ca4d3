"""Every write to session notes: save a new version.  Atomic, with its trail entry.

The two counts stored beside the encrypted text come from the language audit engine
(``attune.language.stigma``); the text itself goes nowhere else.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction
from attune.care.models import SessionNote, SessionStatus, TherapySession
from attune.language import audit_text
from attune.language.stigma import note_counts as stigma_note_counts

# A long session note is a page or two; the limit keeps the language check quick.
NOTE_LIMIT = 20_000


class NoteError(ValueError):
    """A note cannot be saved that way; the message is for the therapist."""


class NoteConflict(NoteError):
    """The note changed since the form was opened (another tab); nothing was saved."""

    def __init__(self, current: SessionNote | None):
        super().__init__("this note was changed in another tab or by another request")
        self.current = current


def note_language(text: str):
    """Return the language audit of a note: the same check as the private draft-note page."""
    return audit_text(text, profile="notes", path="Session note")


def note_counts(text: str):
    """Return the note's word count and stigmatizing findings (``NoteCounts``)."""
    return stigma_note_counts(note_language(text))


@transaction.atomic
def note_save(*, actor: Actor, session: TherapySession, text: str, version: int) -> SessionNote:
    """Save a new version of the note of a held session of ``actor``'s own client.

    ``version`` is the version the form was opened on (0 when there was no note): when the
    current note is newer, ``NoteConflict`` carries it and nothing is saved.  Only the client's
    assigned therapist writes, and only for a held session; the text must not be empty.
    """
    session = TherapySession.objects.select_for_update().select_related("client").get(pk=session.pk)
    user = actor.user
    if user is None or not user.has_perm("care.write_note", session.client):
        raise NoteError("only the client's therapist writes the notes of their sessions")
    if session.status != SessionStatus.HELD:
        raise NoteError("a note is written for a session that was held")
    text = text.strip()
    if not text:
        raise NoteError("the note is empty")
    if len(text) > NOTE_LIMIT:
        raise NoteError(f"the note is longer than {NOTE_LIMIT:,} characters")
    current = SessionNote.objects.filter(session=session, superseded_at__isnull=True).first()
    if (current.version if current else 0) != version:
        raise NoteConflict(current)
    counts = note_counts(text)
    now = timezone.now()
    try:
        with transaction.atomic():
            if current is not None:
                current.superseded_at = now
                current.save(update_fields=["superseded_at"])
            note = SessionNote.objects.create(
                session=session,
                client=session.client,
                version=version + 1,
                text=text,
                word_count=counts.word_count,
                stigmatizing_findings=counts.stigmatizing_findings,
                written_by=user,
            )
    except IntegrityError:  # saved a moment ago from another tab
        raise NoteConflict(
            SessionNote.objects.filter(session=session, superseded_at__isnull=True).first()
        ) from None
    trail.record(
        actor=actor,
        action=TrailAction.CREATE if version == 0 else TrailAction.UPDATE,
        client_id=session.client_id,
        object_type="session_note",
        object_ref=note.pk,
        section="notes",
        detail=f"version {note.version} of the note of session {session.pk}",
    )
    return note
