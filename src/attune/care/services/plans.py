"""Every write to treatment plans, the client's agreement and the client-view choice.

A plan is never overwritten: each save is a new version with its author, made only if the
writer started from the version that is still current (no silent overwrite from a second tab).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.care.models import (
    AgreementAnswer,
    ClientViewChoice,
    ClientViewMode,
    PlanAgreement,
    TreatmentPlan,
)
from attune.care.queries.plans import client_view_choice
from attune.clients.models import Client, ClientLink
from attune.clients.services import IssuedLink, claim_link, link_issue
from attune.measures.goals import PLAN_GOALS_LIMIT

# Link purposes of the plan pages a client opens (registered in care/views/client_pages.py).
PLAN_GOALS = "plan_goals"
PLAN_AGREEMENT = "plan_agreement"
CLIENT_VIEW = "client_view"
PLAN_LINK_PURPOSES = (PLAN_GOALS, PLAN_AGREEMENT, CLIENT_VIEW)

GOAL_WORDS_MAX = 300
GOAL_TEXT_MAX = 2000


class PlanVersionConflict(Exception):
    """The plan changed since the writer opened it; ``current`` is the version saved meanwhile."""

    def __init__(self, current: TreatmentPlan | None) -> None:
        super().__init__("the plan changed since it was opened")
        self.current = current


@dataclass(frozen=True)
class Goal:
    """One goal: the client's words, their own signs of progress, the therapist's framing."""

    words: str
    signs: str = ""
    framing: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"words": self.words, "signs": self.signs, "framing": self.framing}


def _checked_goals(goals: Sequence[Goal]) -> list[dict[str, str]]:
    cleaned = [
        Goal(goal.words.strip(), goal.signs.strip(), goal.framing.strip())
        for goal in goals
        if goal.words.strip()
    ]
    if not cleaned:
        raise ValueError("a plan needs at least one goal in the client's words")
    if len(cleaned) > PLAN_GOALS_LIMIT:
        raise ValueError(f"a plan holds at most {PLAN_GOALS_LIMIT} goals")
    for goal in cleaned:
        if len(goal.words) > GOAL_WORDS_MAX or max(len(goal.signs), len(goal.framing)) > (
            GOAL_TEXT_MAX
        ):
            raise ValueError("a goal's text is too long")
    return [goal.as_dict() for goal in cleaned]


def current_plan_locked(client: Client) -> TreatmentPlan | None:
    """Return the client's current plan, the client row locked so versions are drawn in turn."""
    Client.objects.select_for_update().filter(pk=client.pk).first()
    return TreatmentPlan.objects.filter(client=client, superseded_at__isnull=True).first()


@transaction.atomic
def plan_save(
    *,
    actor: Actor,
    client: Client,
    based_on: int | None,
    goals: Sequence[Goal],
    review_on: date | None,
    via_link: ClientLink | None = None,
) -> TreatmentPlan | None:
    """Save a new version of ``client``'s plan, written from version ``based_on``.

    ``based_on`` is the version the writer opened (None when there was no plan yet).  If another
    version was saved meanwhile, raise ``PlanVersionConflict`` and store nothing.  Written
    through ``via_link`` by the client, the therapist's framing is kept for every goal whose
    words are unchanged, and the review date is kept.  Return None when that link was already
    used: the first answer stands.
    """
    checked = _checked_goals(goals)
    current = current_plan_locked(client)
    if (current.version if current else None) != based_on:
        raise PlanVersionConflict(current)
    if via_link is not None:
        if via_link.client_id != client.pk:
            raise ValueError("the link is not this client's")
        if not claim_link(via_link):
            return None
        framing = {goal["words"]: goal["framing"] for goal in (current.goals if current else [])}
        for goal in checked:
            goal["framing"] = framing.get(goal["words"], "")
        review_on = current.review_on if current else None
    now = timezone.now()
    if current is not None:
        current.superseded_at = now
        current.save(update_fields=["superseded_at"])
    latest = TreatmentPlan.objects.filter(client=client).aggregate(n=Max("version"))["n"] or 0
    plan = TreatmentPlan.objects.create(
        client=client,
        version=latest + 1,
        goals=checked,
        review_on=review_on,
        written_by=None if via_link else actor.user,
        written_via_link=via_link,
    )
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        client_id=client.pk,
        object_type="treatment_plan",
        object_ref=plan.pk,
        section="plan",
        detail=f"version {plan.version} by {'the client' if via_link else 'staff'}, "
        f"{len(checked)} goal(s)",
    )
    return plan


@transaction.atomic
def plan_link_issue(*, actor: Actor, client: Client, purpose: str) -> IssuedLink:
    """Issue ``client`` a private link to write their goals, agree to the plan, or view it."""
    if purpose not in PLAN_LINK_PURPOSES:
        raise ValueError(f"not a plan link purpose: {purpose!r}")
    if purpose == CLIENT_VIEW and not client_view_choice(client).shows_plan:
        raise ValueError("the client has not chosen to see their plan through a link")
    return link_issue(actor=actor, client=client, purpose=purpose)


@transaction.atomic
def plan_agreement_submit(
    *, actor: Actor, link: ClientLink, plan_version: int, answer: str, comment: str = ""
) -> PlanAgreement | None:
    """Record the client's answer to version ``plan_version`` of their plan, once per link.

    Raise ``PlanVersionConflict`` if the plan changed while they read it (nothing is stored and
    the link stays usable).  Return None when the link was already used: the first answer stands.
    """
    if answer not in AgreementAnswer.values:
        raise ValueError(f"unknown answer {answer!r}")
    comment = comment.strip()
    if answer == AgreementAnswer.NOT_YET and not comment:
        raise ValueError("say what should change")
    client = Client.objects.get(pk=link.client_id)
    current = current_plan_locked(client)
    if current is None or current.version != plan_version:
        raise PlanVersionConflict(current)
    if not claim_link(link):
        return None
    agreement = PlanAgreement.objects.create(
        plan=current, answer=answer, comment=comment, via_link=link
    )
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        client_id=client.pk,
        object_type="plan_agreement",
        object_ref=agreement.pk,
        section="plan",
        detail=f"{answer} to version {current.version}, by the client through a link",
    )
    return agreement


@transaction.atomic
def client_view_set(
    *, actor: StaffActor, client: Client, mode: str, chosen_with_client: bool
) -> ClientViewChoice:
    """Record what the client chose to see of their plan through a link, and who set it."""
    if mode not in ClientViewMode.values:
        raise ValueError(f"unknown client view {mode!r}")
    if mode != ClientViewMode.OFF and not chosen_with_client:
        raise ValueError("the client view is turned on only when the client chose it")
    choice = ClientViewChoice.objects.create(
        client=client, mode=mode, chosen_with_client=chosen_with_client, set_by=actor.user
    )
    if mode == ClientViewMode.OFF:
        # Links already handed out stop working at once.
        ClientLink.objects.filter(
            client=client, purpose=CLIENT_VIEW, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        client_id=client.pk,
        object_type="client_view_choice",
        object_ref=choice.pk,
        section="plan",
        detail=f"client view {mode}",
    )
    return choice
