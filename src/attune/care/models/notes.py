"""Session notes: what the client's therapist writes about a session that was held.

One current note per session, versioned like the treatment plan: each save is a new
``SessionNote`` row, the one before it is marked superseded, and nothing earlier is changed.
The text is encrypted.  Beside it the note keeps two integers computed by the language audit
engine when it is saved (``attune.language.stigma``): how many words it has and how many of
its passages are stigmatizing language.  They name nobody and let the equity report compare
documentation language by client group in SQL, without reading a note.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from attune.clients.encrypted import EncryptedTextField


class SessionNote(models.Model):
    """One version of the note of one held session."""

    session = models.ForeignKey(
        "care.TherapySession", on_delete=models.CASCADE, related_name="notes"
    )
    # Denormalised from the session so a client's notes are one indexed query away.
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="session_notes"
    )
    version = models.PositiveIntegerField()
    text = EncryptedTextField()
    word_count = models.PositiveIntegerField()
    stigmatizing_findings = models.PositiveIntegerField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "-version"]
        indexes = [models.Index(fields=["client", "superseded_at"], name="note_by_client")]
        constraints = [
            models.UniqueConstraint(fields=["session", "version"], name="one_note_per_version"),
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_note_per_session",
            ),
            # Each flagged passage holds at least one word.
            models.CheckConstraint(
                condition=Q(stigmatizing_findings__lte=F("word_count")),
                name="note_findings_within_words",
            ),
        ]

    def __str__(self) -> str:
        return f"note v{self.version} of session {self.session_id}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None
