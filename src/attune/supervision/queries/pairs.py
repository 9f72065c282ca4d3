"""Reads about supervision that views and the access policy share."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from attune.access.models import Role, StaffUser
from attune.supervision.models import SupervisionPair


def current_pairs(supervisor):
    """Return the supervision pairs of ``supervisor`` that are in force today."""
    today = timezone.localdate()
    return SupervisionPair.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        supervisor=supervisor,
        starts_on__lte=today,
    )


def supervisee_ids(supervisor) -> set[int]:
    """Return the ids of the therapists ``supervisor`` supervises today (cached per request)."""
    cache = supervisor.__dict__.setdefault("_supervisee_ids", None)
    if cache is None:
        cache = set(current_pairs(supervisor).values_list("supervisee_id", flat=True))
        supervisor.__dict__["_supervisee_ids"] = cache
    return cache


def supervisees_with_counts(supervisor):
    """Return the supervisor's current supervisees, each with its number of active clients."""
    return (
        StaffUser.objects.filter(pk__in=supervisee_ids(supervisor), role=Role.THERAPIST)
        .annotate(active_clients=Count("clients", filter=Q(clients__closed_at__isnull=True)))
        .order_by("display_name", "username")
    )
