"""Reads of treatment plans.  A plan is part of the client's record: every read is trailed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.access.refusals import refused_client
from attune.care.models import (
    ClientViewChoice,
    ClientViewMode,
    CulturalAdaptation,
    PlanAgreement,
    TreatmentPlan,
)
from attune.clients import queries as client_queries
from attune.clients.models import Client
from attune.measures.models import Response

SESSION_CHECKIN = "session-checkin"
GOALS_CHECKIN = "goals-checkin"


def _trail_read(actor: Actor, client: Client, section: str, detail: str = "") -> None:
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=client.pk,
        object_type="treatment_plan",
        object_ref=client.pk,
        section=section,
        detail=detail,
    )


def client_view_choice(client: Client) -> ClientViewChoice:
    """Return the client-view choice in force (an unsaved 'off' when none was ever made)."""
    choice = ClientViewChoice.objects.filter(client=client).select_related("set_by").first()
    return choice or ClientViewChoice(client=client, mode=ClientViewMode.OFF)


def current_plan(client: Client) -> TreatmentPlan | None:
    """Return the client's current plan version, or None (untrailed: callers trail their read)."""
    return (
        TreatmentPlan.objects.filter(client=client, superseded_at__isnull=True)
        .select_related("written_by")
        .first()
    )


def current_goals(client: Client) -> list[str]:
    """Return the goals of the client's current plan, in the client's words ([] without one)."""
    plan = TreatmentPlan.objects.filter(client=client, superseded_at__isnull=True).first()
    return plan.goal_words if plan else []


def plans_due_for_review(*, therapist, on: datetime.date) -> list[TreatmentPlan]:
    """Return the current plans of ``therapist``'s open clients due for review on or before ``on``.

    One query, whatever the caseload; ``client`` is selected.  Soonest review first.
    """
    return list(
        TreatmentPlan.objects.filter(
            superseded_at__isnull=True,
            review_on__lte=on,
            client__therapist=therapist,
            client__closed_at__isnull=True,
        )
        .select_related("client")
        .order_by("review_on", "client_id")
    )


def latest_agreement(plan: TreatmentPlan | None) -> PlanAgreement | None:
    """Return the client's newest answer about any version of the plan, with its version."""
    if plan is None:
        return None
    return (
        PlanAgreement.objects.filter(plan__client_id=plan.client_id)
        .select_related("plan")
        .order_by("-answered_at", "-pk")
        .first()
    )


@dataclass
class PlanPage:
    client: Client
    plan: TreatmentPlan | None
    agreement: PlanAgreement | None
    full: bool
    view_choice: ClientViewChoice | None = None
    adaptations: list[CulturalAdaptation] = field(default_factory=list)


def client_plan(*, actor: StaffActor, client_id: int) -> PlanPage:
    """Return a client's current plan for ``actor``, recording the read; else 404.

    The assigned therapist (or break-glass) gets the full plan; a supervisor of the therapist
    gets the summary (goals and signs of progress in the client's words, review date, whether
    the client agreed), never the therapist's clinical framing or the client's comments.
    """
    client, full = client_queries.client_overview(actor=actor, client_id=client_id)
    perm = "care.view_plan" if full else "care.view_plan_summary"
    if not actor.user.has_perm(perm, client):
        raise refused_client(actor, client, section="plan")
    plan = current_plan(client)
    agreement = latest_agreement(plan)
    _trail_read(
        actor,
        client,
        "plan" if full else "plan_summary",
        f"version {plan.version}" if plan else "no plan yet",
    )
    page = PlanPage(client=client, plan=plan, agreement=agreement, full=full)
    if full:
        page.view_choice = client_view_choice(client)
        page.adaptations = list(client.cultural_adaptations.order_by("-started_on", "-pk"))
    return page


def plan_for_editing(*, actor: StaffActor, client_id: int) -> tuple[Client, TreatmentPlan | None]:
    """Return a client and their current plan for the therapist to edit, recording the read."""
    client = client_queries.client_record(actor=actor, client_id=client_id, section="plan")
    if not actor.user.has_perm("care.change_plan", client):
        raise refused_client(actor, client, section="plan")
    plan = current_plan(client)
    _trail_read(actor, client, "plan", f"opened version {plan.version}" if plan else "new plan")
    return client, plan


def plan_history(*, actor: StaffActor, client_id: int) -> tuple[Client, list[TreatmentPlan], dict]:
    """Return every version of a client's plan, newest first, with the answers to each."""
    client = client_queries.client_record(actor=actor, client_id=client_id, section="plan")
    if not actor.user.has_perm("care.view_plan", client):
        raise refused_client(actor, client, section="plan")
    versions = list(
        TreatmentPlan.objects.filter(client=client)
        .select_related("written_by")
        .order_by("-version")
    )
    answers: dict[int, list[PlanAgreement]] = {}
    for agreement in PlanAgreement.objects.filter(plan__client=client).order_by("answered_at"):
        answers.setdefault(agreement.plan_id, []).append(agreement)
    _trail_read(actor, client, "plan_history", f"{len(versions)} versions")
    return client, versions, answers


def client_page_section(*, actor: Actor, client: Client) -> dict:
    """Return the plan and adaptations shown on the client's overview, recording the read."""
    plan = current_plan(client)
    adaptations = list(
        client.cultural_adaptations.filter(stopped_on__isnull=True).order_by("-started_on", "-pk")
    )
    _trail_read(actor, client, "plan", "overview")
    return {
        "care_plan": plan,
        "care_plan_agreement": latest_agreement(plan),
        "care_adaptations": adaptations,
    }


# The client's own view through a link ------------------------------------------------------


@dataclass
class CheckInRow:
    """One check-in the client answered: when, and its scores (0–10, higher is better)."""

    answered_on: datetime.date
    session_score: float | None = None
    goals_score: float | None = None


def checkin_history(client: Client) -> list[CheckInRow]:
    """Return the client's answered session and goals check-ins, newest first, with scores."""
    rows: dict[int, CheckInRow] = {}
    responses = (
        Response.objects.filter(
            client=client, instrument__name__in=[SESSION_CHECKIN, GOALS_CHECKIN]
        )
        .order_by("-submitted_at", "-pk")
        .values_list("checkin_id", "instrument__name", "total", "submitted_at")
    )
    for checkin_id, name, total, submitted_at in responses:
        row = rows.setdefault(checkin_id, CheckInRow(answered_on=submitted_at.date()))
        if name == SESSION_CHECKIN:
            row.session_score = total
        else:
            row.goals_score = total
    return list(rows.values())


@dataclass
class ClientOwnView:
    plan: TreatmentPlan | None
    agreement: PlanAgreement | None
    shows_checkins: bool
    checkins: list[CheckInRow]


def client_own_view(*, actor: Actor, link) -> ClientOwnView | None:
    """Return what the client chose to see of their plan, recording the read; None when off."""
    client = client_queries.client_for_link(actor=actor, link=link)
    choice = client_view_choice(client)
    if not choice.shows_plan:
        return None
    plan = current_plan(client)
    _trail_read(actor, client, "client_view", "seen by the client through a link")
    return ClientOwnView(
        plan=plan,
        agreement=latest_agreement(plan),
        shows_checkins=choice.shows_checkins,
        checkins=checkin_history(client) if choice.shows_checkins else [],
    )


def plan_for_link(*, actor: Actor, link) -> tuple[Client, TreatmentPlan | None]:
    """Return the client of a plan link and their current plan, recording the read."""
    client = client_queries.client_for_link(actor=actor, link=link)
    plan = current_plan(client)
    _trail_read(actor, client, link.purpose, "read by the client through a link")
    return client, plan
