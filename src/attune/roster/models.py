"""Identifiers other systems give Attune's clients and sessions, and each import of a file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.clients.encrypted import EncryptedTextField


class ExternalIdentifier(models.Model):
    """One other system's id for a client or a session: what makes a re-import change nothing.

    ``system`` names where the id comes from (by default the agency's roster or schedule file;
    a FHIR sync uses the EHR's identifier system), ``value`` the id itself.  A pair points to
    exactly one client or one session, for good.
    """

    system = models.CharField(max_length=200)
    value = models.CharField(max_length=200)
    client = models.ForeignKey(
        "clients.Client",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="external_identifiers",
    )
    session = models.ForeignKey(
        "care.TherapySession",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="external_identifiers",
    )
    batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "value"], name="external_id_once"),
            models.CheckConstraint(
                condition=Q(client__isnull=False, session__isnull=True)
                | Q(client__isnull=True, session__isnull=False),
                name="external_id_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system}|{self.value}"


class ImportKind(models.TextChoices):
    ROSTER = "roster", "Roster (clients)"
    SCHEDULE = "schedule", "Schedule (sessions)"


class BatchStatus(models.TextChoices):
    PREVIEWED = "previewed", "Previewed, not applied"
    APPLIED = "applied", "Applied"
    FAILED = "failed", "Not applied (nothing stored)"


class ImportBatch(models.Model):
    """One reading of a file: what it would change (a preview) or what it changed (applied).

    ``report`` holds counts and one line per row (row number, external id, outcome, field names,
    reasons) and never a personal value.  A page upload keeps the file, encrypted, in
    ``content`` until it is applied, so the leader confirms exactly what they previewed.
    """

    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.PREVIEWED
    )
    source = models.CharField(max_length=20)  # "command" or "page"
    filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    system = models.CharField(max_length=200)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    report = models.JSONField(default=dict, blank=True)
    content = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk} ({self.status})"

    def count(self, outcome: str) -> int:
        return int(self.report.get("counts", {}).get(outcome, 0))
