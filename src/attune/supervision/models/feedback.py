"""Supervisees' feedback on their supervisor's cultural humility, and its release.

An answer is given once per supervisor, supervisee and period (a database constraint).  A
period's results are released once, after it has ended, into ``FeedbackRelease``; what a
supervisor sees is that snapshot, never a live count (see ``attune/supervision/humility.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from attune.clients.encrypted import EncryptedJSONField, EncryptedTextField


class HumilityFeedback(models.Model):
    """One supervisee's answers about one supervisor for one half-year period."""

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=7)  # "2026-H2"
    answers = models.JSONField()  # item key -> 0..4 or None
    comment = EncryptedTextField(blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "supervisee", "period"], name="feedback_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["supervisor", "period"], name="feedback_by_period")]

    def __str__(self) -> str:
        return f"feedback {self.pk} for {self.period}"


class FeedbackRelease(models.Model):
    """The one-time release of a supervisor's results for a closed period.

    ``summary`` is empty when fewer than three supervisees answered: the results are held.
    """

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=7)
    respondents = models.PositiveIntegerField()
    summary = EncryptedJSONField(blank=True)
    released_at = models.DateTimeField()

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "period"], name="feedback_released_once")
        ]

    def __str__(self) -> str:
        return f"feedback release {self.period} for supervisor {self.supervisor_id}"

    @property
    def held(self) -> bool:
        return not self.summary
