"""Rupture and repair logs: what strained the relationship, how it was repaired, whether it held.

A log is opened from a rupture signal or by hand, while the client is on the therapist's
caseload.  Whether the repair held is read from the session check-ins answered after the log was
opened (``attune.care.queries.repairs``); it is never stored as a number, only as the
therapist's decision when they close the log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.clients.encrypted import EncryptedTextField


class RepairStatus(models.TextChoices):
    OPEN = "open", "Open"
    HELD = "held", "Repair held"
    NOT_HELD = "not_held", "Repair did not hold"
    CLIENT_ENDED = "client_ended", "Client chose not to continue"


CLOSED_STATUSES = (RepairStatus.HELD, RepairStatus.NOT_HELD, RepairStatus.CLIENT_ENDED)


class RepairLog(models.Model):
    """One rupture in a therapeutic relationship and the therapist's work to repair it.

    Everything written about what happened is the therapist's or the client's words about a
    client, so it is encrypted at rest.  ``version`` grows by one with each edit: an edit based
    on an older version is refused, so two tabs never silently overwrite each other.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="repair_logs"
    )
    # The therapist who opened the log (the client's therapist at the time).
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="repair_logs"
    )
    # The rupture signal it was opened from, if any.
    signal = models.ForeignKey(
        "measures.Signal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repair_logs",
    )
    # When the rupture happened: the check-in that raised the signal, or the day the therapist
    # gave.  The client's baseline is read from the session check-ins before this moment.
    rupture_at = models.DateTimeField()
    what_happened = EncryptedTextField()
    client_impact = EncryptedTextField(blank=True)
    acknowledgement = EncryptedTextField(blank=True)
    apology = EncryptedTextField(blank=True)
    commitment = EncryptedTextField(blank=True)
    follow_up_on = models.DateField()
    status = models.CharField(
        max_length=14, choices=RepairStatus.choices, default=RepairStatus.OPEN
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # The date the therapist gives for the outcome (the conversation, or the last contact).
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_note = EncryptedTextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["client", "status"], name="repair_by_client_status"),
            models.Index(fields=["therapist", "opened_at"], name="repair_by_therapist"),
            models.Index(fields=["status", "follow_up_on"], name="repair_due"),
        ]
        constraints = [
            # One log per signal: opening a log from the same signal twice stores one.
            models.UniqueConstraint(
                fields=["signal"], condition=Q(signal__isnull=False), name="one_repair_per_signal"
            ),
            # A closed log has its time and date; an open one has neither.
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_at__isnull=True) & Q(closed_on__isnull=True))
                | (~Q(status="open") & Q(closed_at__isnull=False) & Q(closed_on__isnull=False)),
                name="repair_closed_iff_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"repair log {self.pk} of client {self.client_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == RepairStatus.OPEN

    @property
    def held(self) -> bool | None:
        """Return True or False once the therapist decided; None while open or ended early."""
        if self.status == RepairStatus.HELD:
            return True
        if self.status == RepairStatus.NOT_HELD:
            return False
        return None
