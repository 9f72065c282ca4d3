"""Growth plans: goals, evidence and progress reviews, written by supervisee and supervisor.

Entries are never edited.  Changing a goal records an entry saying what changed, and is refused
if the goal was saved by someone else since the page was opened.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import StaffUser, TrailAction
from attune.supervision.models import EntryKind, GoalKind, GoalStatus, GrowthEntry, GrowthGoal
from attune.supervision.services.meetings import StaleEditError


class GrowthError(ValueError):
    """The plan cannot change that way; the message is for people."""


def _trail(actor: Actor, obj, object_type: str, action: str, detail: str) -> None:
    trail.record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_ref=obj.pk,
        section="growth_plan",
        detail=detail,
    )


@transaction.atomic
def goal_add(
    *,
    actor: StaffActor,
    supervisee: StaffUser,
    kind: str,
    title: str,
    description: str = "",
    target_on: date | None = None,
) -> GrowthGoal:
    """Add a goal to ``supervisee``'s growth plan."""
    if kind not in GoalKind.values:
        raise GrowthError("Choose the kind of goal.")
    if not title.strip():
        raise GrowthError("Name the goal.")
    goal = GrowthGoal.objects.create(
        supervisee=supervisee,
        kind=kind,
        title=title.strip(),
        description=description,
        target_on=target_on,
        created_by=actor.user,
    )
    _trail(actor, goal, "growth_goal", TrailAction.CREATE, kind)
    return goal


def _describe_change(goal: GrowthGoal, fields: dict) -> str:
    labels = {"title": "title", "kind": "kind", "target_on": "target date", "status": "status"}
    parts = []
    for name, label in labels.items():
        before, after = getattr(goal, name), fields[name]
        if before != after:
            parts.append(f"{label}: {before or 'none'} → {after or 'none'}")
    if goal.description != fields["description"]:
        parts.append("description rewritten (it was: " + (goal.description or "empty") + ")")
    return "; ".join(parts)


@transaction.atomic
def goal_change(
    *,
    actor: StaffActor,
    goal: GrowthGoal,
    version: int,
    kind: str,
    title: str,
    description: str,
    target_on: date | None,
    status: str,
) -> GrowthGoal:
    """Change a goal, keeping what it was as an entry in its history."""
    if kind not in GoalKind.values or status not in GoalStatus.values:
        raise GrowthError("Choose the kind and status of the goal.")
    if not title.strip():
        raise GrowthError("Name the goal.")
    current = GrowthGoal.objects.select_for_update().get(pk=goal.pk)
    if current.version != version:
        raise StaleEditError(
            "Someone changed this goal after you opened it. Your text is below; "
            "check the saved goal and save again."
        )
    fields = {
        "kind": kind,
        "title": title.strip(),
        "description": description,
        "target_on": target_on,
        "status": status,
    }
    change = _describe_change(current, fields)
    if not change:
        return current
    GrowthGoal.objects.filter(pk=current.pk).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    GrowthEntry.objects.create(goal=current, kind=EntryKind.CHANGE, text=change, author=actor.user)
    current.refresh_from_db()
    _trail(actor, current, "growth_goal", TrailAction.UPDATE, f"version {current.version}")
    return current


@transaction.atomic
def entry_add(*, actor: StaffActor, goal: GrowthGoal, kind: str, text: str) -> GrowthEntry:
    """Add evidence or a progress review to a goal, signed by its author."""
    if kind not in (EntryKind.EVIDENCE, EntryKind.REVIEW):
        raise GrowthError("Choose evidence or a progress review.")
    if not text.strip():
        raise GrowthError("Write the evidence or review.")
    entry = GrowthEntry.objects.create(goal=goal, kind=kind, text=text.strip(), author=actor.user)
    _trail(actor, entry, "growth_entry", TrailAction.CREATE, kind)
    return entry
