"""The relationships the access policy asks about: who supervises whom, who is in which group.

Each answer is cached on the user object for the rest of the request, so a page that checks many
objects asks the database once.
"""

from __future__ import annotations

from attune.relationships.models import GroupMembership, SupervisionPair


def current_pairs(supervisor):
    """Return the supervision pairs of ``supervisor`` that are in force today."""
    return SupervisionPair.objects.in_force().filter(supervisor=supervisor)


def supervisee_ids(supervisor) -> set[int]:
    """Return the ids of the therapists ``supervisor`` supervises today (cached per request)."""
    cache = supervisor.__dict__.setdefault("_supervisee_ids", None)
    if cache is None:
        cache = set(current_pairs(supervisor).values_list("supervisee_id", flat=True))
        supervisor.__dict__["_supervisee_ids"] = cache
    return cache


def supervisor_ids(supervisee) -> set[int]:
    """Return the ids of the supervisors of ``supervisee`` today (cached per request)."""
    cache = supervisee.__dict__.get("_supervisor_ids")
    if cache is None:
        cache = set(
            SupervisionPair.objects.in_force()
            .filter(supervisee=supervisee)
            .values_list("supervisor_id", flat=True)
        )
        supervisee.__dict__["_supervisor_ids"] = cache
    return cache


def member_group_ids(user) -> set[int]:
    """Return the ids of the groups ``user`` belongs to now (cached on the user object)."""
    cache = user.__dict__.get("_consultation_group_ids")
    if cache is None:
        cache = set(
            GroupMembership.objects.filter(member=user, removed_at__isnull=True).values_list(
                "group_id", flat=True
            )
        )
        user.__dict__["_consultation_group_ids"] = cache
    return cache
