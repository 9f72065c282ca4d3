"""Who works with whom: supervision pairs and consultation groups.

These rows sit below the access policy, which asks them who supervises whom and who belongs to
which group; the supervision app builds its meetings, agendas and cases on top of them.  The
tables keep the names they had when they lived in the supervision app.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SupervisionPairQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None):
        """Return the pairs in force on ``on`` (today by default)."""
        day = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class SupervisionPair(models.Model):
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisee_pairs"
    )
    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisor_pairs"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = SupervisionPairQuerySet.as_manager()

    class Meta:
        db_table = "supervision_supervisionpair"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="supervision_period_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("supervisee")), name="supervision_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} supervises {self.supervisee}"

    def is_in_force(self, on: datetime.date | None = None) -> bool:
        """Return whether this pair is in force on ``on`` (today by default)."""
        day = on or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class ConsultationGroup(models.Model):
    name = models.CharField(max_length=120)
    purpose = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "supervision_consultationgroup"

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """A clinician's place in a group; removal ends it (the row stays for the record)."""

    group = models.ForeignKey(
        ConsultationGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultation_memberships"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "supervision_groupmembership"
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"],
                condition=Q(removed_at__isnull=True),
                name="one_current_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.group}"
