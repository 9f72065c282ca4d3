"""Therapy sessions: when a client and therapist meet, and whether they did.

Deliberately minimal (not a calendar): a session is scheduled, then held, cancelled or missed.
Holding a session is what sends the client a check-in (``attune.care.services``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "Client did not come"


class InterpreterUse(models.TextChoices):
    """Whether the session had the interpreter the client needed, as the therapist recorded it."""

    NOT_RECORDED = "", "Not recorded"
    NOT_NEEDED = "not_needed", "Not needed"
    PROFESSIONAL = "professional", "A professional interpreter was there"
    FAMILY_OR_FRIEND = "family_or_friend", "A family member or friend interpreted"
    NONE = "none", "Needed, but no interpreter was there"


class CancelledBy(models.TextChoices):
    CLIENT = "client", "The client"
    THERAPIST = "therapist", "The therapist"
    AGENCY = "agency", "The agency"


class TherapySession(models.Model):
    """One meeting between a client and their therapist."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="therapy_sessions"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="therapy_sessions"
    )
    starts_at = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancelled_by = models.CharField(max_length=12, choices=CancelledBy.choices, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    # Recorded when the session is marked held; supervision agendas ask about the gaps.
    interpreter = models.CharField(
        max_length=20, choices=InterpreterUse.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["client", "starts_at"], name="session_by_client"),
            # The therapist's day on "Today" (docs/benchmarks/today.md).
            models.Index(fields=["therapist", "starts_at"], name="session_by_therapist_day"),
        ]
        constraints = [
            # Who cancelled is known exactly when the session was cancelled.
            models.CheckConstraint(
                condition=(Q(status="cancelled") & ~Q(cancelled_by=""))
                | (~Q(status="cancelled") & Q(cancelled_by="")),
                name="session_cancelled_by_iff_cancelled",
            ),
        ]

    def __str__(self) -> str:
        return f"session {self.pk} of client {self.client_id} ({self.status})"

    @property
    def has_started(self) -> bool:
        """Whether the session's start has come (only then can it be marked missed)."""
        from django.utils import timezone

        return self.starts_at <= timezone.now()
