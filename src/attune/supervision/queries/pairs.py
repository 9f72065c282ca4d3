"""Reads about supervision that views and the access policy share."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery

from attune.access import trail
from attune.access.models import Role, StaffUser, TrailAction
from attune.relationships.models import SupervisionPair
from attune.relationships.queries import current_pairs, supervisee_ids


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
    return pair.is_in_force(day)


def pairs_for_leader(*, actor):
    """Return every pair, current ones first, with both people, for the leader's page."""
    trail.record(
        actor=actor, action=TrailAction.VIEW, object_type="supervision_pairs", section="supervision"
    )
    return SupervisionPair.objects.select_related("supervisor", "supervisee").order_by(
        "ends_on", "-starts_on", "pk"
    )


def pairs_of_supervisee(supervisee):
    """Return the supervisee's current pairs with their supervisors."""
    return (
        SupervisionPair.objects.in_force()
        .filter(supervisee=supervisee)
        .select_related("supervisor")
        .order_by("starts_on", "pk")
    )


def current_pair(*, supervisor, supervisee):
    """Return the pair in force today between ``supervisor`` and ``supervisee``, or None."""
    return current_pairs(supervisor).filter(supervisee=supervisee).order_by("-starts_on").first()
