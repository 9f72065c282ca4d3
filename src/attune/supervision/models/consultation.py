"""Consultation groups: clinicians who bring de-identified cases to each other for feedback.

A posted case keeps only its de-identified text; the original the presenter wrote is never
stored.  The link to the client and the date offset stay on the server, so replies can be
checked for the client's identifiers and dates keep their true intervals; members never see
either.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.clients.encrypted import EncryptedJSONField, EncryptedTextField
from attune.relationships.models import ConsultationGroup


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    POSTED = "posted", "Posted"


class CasePresentation(models.Model):
    """A case brought to a group.  While a draft it holds no text at all; once posted, only
    the de-identified text.  ``day_offset`` and ``client`` are never shown to members."""

    group = models.ForeignKey(ConsultationGroup, on_delete=models.PROTECT, related_name="cases")
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    # Days added to every date in the case (never zero), drawn at random per presentation.
    day_offset = models.IntegerField()
    title = EncryptedTextField(blank=True)
    question = EncryptedTextField(blank=True)
    context = EncryptedTextField(blank=True)
    # Identifiers the presenter added (other people's names, places, date of birth), used to
    # check replies; never shown.
    extra_identifiers = EncryptedJSONField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=CaseStatus.DRAFT) & Q(posted_at__isnull=True))
                | (Q(status=CaseStatus.POSTED) & Q(posted_at__isnull=False)),
                name="case_posted_has_time",
            ),
            models.CheckConstraint(condition=~Q(day_offset=0), name="case_dates_shifted"),
        ]
        indexes = [models.Index(fields=["group", "status", "posted_at"], name="case_by_group")]

    def __str__(self) -> str:
        return f"case {self.pk} in group {self.group_id}"


class CaseFeedback(models.Model):
    """A reply to a case, or to another reply."""

    case = models.ForeignKey(CasePresentation, on_delete=models.CASCADE, related_name="feedback")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField()
    # A key the form carries, so a double click stores the reply once.
    submission_key = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "submission_key"], name="feedback_once")
        ]

    def __str__(self) -> str:
        return f"feedback {self.pk} on case {self.case_id}"
