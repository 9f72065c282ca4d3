"""Staff accounts, the hash-chained access trail and break-glass grants."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    THERAPIST = "therapist", "Therapist"
    SUPERVISOR = "supervisor", "Supervisor"
    LEADER = "leader", "Agency leader"


class StaffUser(AbstractUser):
    """A member of staff who signs in; clients never have an account."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.THERAPIST)
    display_name = models.CharField(max_length=150, blank=True)
    pronouns = models.CharField(max_length=60, blank=True)

    class Meta:
        verbose_name = "staff member"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.THERAPIST

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER


class TrailAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    LINK_ISSUED = "link_issued", "Issued a private link"
    LINK_OPENED = "link_opened", "Opened a private link"
    LINK_REJECTED = "link_rejected", "Rejected a link"
    BREAK_GLASS = "break_glass", "Break-glass access"
    DENIED = "denied", "Refused"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    LOCKED_OUT = "locked_out", "Locked out"
    SIGN_OUT = "sign_out", "Signed out"
    IDLE_LOGOFF = "idle_logoff", "Logged off when idle"
    MFA_ENROLLED = "mfa_enrolled", "Set up a second factor"
    CSRF_FAILED = "csrf_failed", "Forged or stale form"
    BODY_TOO_LARGE = "body_too_large", "Oversize request"
    STAFF_CHANGED = "staff_changed", "Changed a staff account"


class AccessEvent(models.Model):
    """One entry of the append-only, hash-chained access trail.

    References to clients, links and objects are plain values rather than foreign keys so the
    trail keeps every entry even when what it points to is gone.
    """

    # Empty until the sealer chains the entry: then its place in the chain and the hashes.
    seq = models.PositiveBigIntegerField(unique=True, null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        StaffUser, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    link_ref = models.PositiveBigIntegerField(null=True, blank=True)
    client_ref = models.PositiveBigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=30, choices=TrailAction.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_ref = models.CharField(max_length=64, blank=True)
    section = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    flagged = models.BooleanField(default=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=40, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)  # the entry's own fields
    prev_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        # Append order; the chain's order (``seq``) is the order the sealer saw them in.
        ordering = ["id"]
        get_latest_by = "id"
        indexes = [
            models.Index(fields=["client_ref", "id"], name="trail_by_client_id"),
            models.Index(fields=["actor", "id"], name="trail_by_actor_id"),
            models.Index(fields=["ip", "action", "at"], name="trail_by_ip_action"),
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="trail_awaiting_seal"
            ),
        ]

    def __str__(self) -> str:
        place = f"#{self.seq}" if self.seq else "(awaiting seal)"
        return f"{place} {self.action} {self.object_type} {self.object_ref}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("The access trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The access trail is append-only.")


class TrailHead(models.Model):
    """The single row that serialises the sealer and remembers the chain's last hash."""

    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"trail head #{self.seq}"


class AnonymousFailureTally(models.Model):
    """Anonymous failures of one kind from one address in one hour, counted instead of trailed.

    The first failure of the hour goes into the trail at once; the rest only raise ``count``,
    and one summary entry with the count is written once the hour has closed
    (``attune.access.anonymous``).  ``subject`` tells apart failed sign-ins to real accounts.
    ``window_start`` and ``window_count`` count the last minute, for rate limits.
    """

    ip = models.CharField(max_length=45, blank=True)
    action = models.CharField(max_length=30)  # a TrailAction value
    subject = models.CharField(max_length=150, blank=True)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    window_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ip", "action", "subject", "hour"], name="one_tally_per_address_kind_hour"
            )
        ]
        indexes = [models.Index(fields=["hour"], name="tally_by_hour")]

    def __str__(self) -> str:
        return f"{self.count} × {self.action} from {self.ip or 'unknown'} in {self.hour:%H}h"


class BreakGlassGrant(models.Model):
    """Emergency, time-limited access to one client outside the staff member's own scope."""

    staff = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="break_glass")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["staff", "client", "expires_at"])]

    def __str__(self) -> str:
        return f"break-glass {self.staff_id} → client {self.client_id}"
