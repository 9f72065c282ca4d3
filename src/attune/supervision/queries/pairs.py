"""Reads about supervision that views and the access policy share."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery
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
        .annotate(
            active_clients=Count("clients", filter=Q(clients__closed_at__isnull=True)),
            pair_id=Subquery(
                current_pairs(supervisor).filter(supervisee=OuterRef("pk")).values("pk")[:1]
            ),
        )
        .order_by("display_name", "username")
    )


def in_force(pair, day=None) -> bool:
    """Return whether ``pair`` is in force on ``day`` (today by default)."""
    day = day or timezone.localdate()
    return pair.starts_on <= day and (pair.ends_on is None or pair.ends_on >= day)


def supervisor_ids(supervisee) -> set[int]:
    """Return the ids of the supervisors of ``supervisee`` today (cached per request)."""
    cache = supervisee.__dict__.get("_supervisor_ids")
    if cache is None:
        today = timezone.localdate()
        cache = set(
            SupervisionPair.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=today),
                supervisee=supervisee,
                starts_on__lte=today,
            ).values_list("supervisor_id", flat=True)
        )
        supervisee.__dict__["_supervisor_ids"] = cache
    return cache


def pairs_for_leader(*, actor):
    """Return every pair, current ones first, with both people, for the leader's page."""
    from attune.access import trail
    from attune.access.models import TrailAction

    trail.record(
        actor=actor, action=TrailAction.VIEW, object_type="supervision_pairs", section="supervision"
    )
    return SupervisionPair.objects.select_related("supervisor", "supervisee").order_by(
        "ends_on", "-starts_on", "pk"
    )


def pairs_of_supervisee(supervisee):
    """Return the supervisee's current pairs with their supervisors."""
    today = timezone.localdate()
    return (
        SupervisionPair.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            supervisee=supervisee,
            starts_on__lte=today,
        )
        .select_related("supervisor")
        .order_by("starts_on", "pk")
    )


def current_pair(*, supervisor, supervisee):
    """Return the pair in force today between ``supervisor`` and ``supervisee``, or None."""
    return current_pairs(supervisor).filter(supervisee=supervisee).order_by("-starts_on").first()
