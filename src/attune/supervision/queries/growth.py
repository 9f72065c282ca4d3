"""Reads of growth plans: the supervisee's own, or a current supervisor's view of it."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from attune.access import trail
from attune.access.actor import StaffActor
from attune.access.models import Role, StaffUser, TrailAction
from attune.supervision.models import GrowthEntry, GrowthGoal


def plan_owner(*, actor: StaffActor, therapist_id: int, perm: str = "supervision.view_growth_plan"):
    """Return the therapist whose plan ``actor`` may use for ``perm``, or raise 404."""
    therapist = StaffUser.objects.filter(pk=therapist_id, role=Role.THERAPIST).first()
    if therapist is None or not actor.user.has_perm(perm, therapist):
        raise Http404
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        object_type="growth_plan",
        object_ref=therapist.pk,
        section="growth_plan",
    )
    return therapist


def growth_plan(therapist) -> list[GrowthGoal]:
    """Return the therapist's goals, each with its history (``history``), authors included."""
    entries = GrowthEntry.objects.select_related("author").order_by("created_at", "pk")
    return list(
        GrowthGoal.objects.filter(supervisee=therapist)
        .select_related("created_by")
        .prefetch_related(Prefetch("entries", queryset=entries, to_attr="history"))
    )


def goal_for(*, actor: StaffActor, goal_id: int) -> GrowthGoal:
    """Return a goal whose plan ``actor`` may write, or raise 404."""
    goal = GrowthGoal.objects.select_related("supervisee").filter(pk=goal_id).first()
    if goal is None or not actor.user.has_perm("supervision.write_growth_plan", goal.supervisee):
        raise Http404
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        object_type="growth_goal",
        object_ref=goal.pk,
        section="growth_plan",
    )
    return goal
