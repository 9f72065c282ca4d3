"""Supervision meetings: when a pair meets, and the notes and actions recorded afterwards.

Notes and actions may mention clients, so their text is encrypted at rest.  Editable rows carry
a ``version`` that every save compares and raises, so two tabs cannot silently overwrite each
other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.clients.encrypted import EncryptedTextField


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class SupervisionMeeting(models.Model):
    """One supervision meeting of a pair, on a date."""

    pair = models.ForeignKey(
        "relationships.SupervisionPair", on_delete=models.PROTECT, related_name="meetings"
    )
    meets_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notes = EncryptedTextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-meets_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "meets_on"], name="one_meeting_per_pair_day")
        ]

    def __str__(self) -> str:
        return f"supervision meeting {self.pk} on {self.meets_on}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "No longer needed"


class MeetingAction(models.Model):
    """Something agreed in a meeting; while open it is carried into the next agenda."""

    meeting = models.ForeignKey(
        SupervisionMeeting, on_delete=models.PROTECT, related_name="actions"
    )
    text = EncryptedTextField()
    # Who does it: the supervisee or the supervisor of the pair.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="supervision_action_closed_iff_not_open",
            )
        ]

    def __str__(self) -> str:
        return f"supervision action {self.pk} ({self.status})"
