"""Supervision pairs: which supervisor supports which therapist, and for what period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class SupervisionPair(models.Model):
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisee_pairs"
    )
    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisor_pairs"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
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
