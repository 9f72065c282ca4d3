"""Reads of consultation groups and cases.

Starting a presentation reads the client's record (trailed); reading a posted case is trailed
with the client's id, so the trail shows who read what was said about whom, though the case
itself names no one.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import Role, StaffUser, TrailAction
from attune.clients import queries as client_queries
from attune.clients.identity_display import formulation_rows
from attune.clients.language_names import language_names
from attune.clients.models import Client, FormulationTopic, Question
from attune.relationships.models import ConsultationGroup, GroupMembership
from attune.relationships.queries import member_group_ids
from attune.supervision.deidentify import Identifiers
from attune.supervision.models import CaseFeedback, CasePresentation, CaseStatus


def groups_for(user, *, actor: Actor | None = None) -> list[ConsultationGroup]:
    """Return every group for a leader; a clinician's own groups otherwise.

    With ``actor`` (a page listing them), the listing is recorded in the trail.
    """
    found = _groups_for(user)
    if actor is not None:
        trail.record(
            actor=actor,
            action=TrailAction.VIEW,
            object_type="consultation_groups",
            object_ref=user.pk,
            section="consultation",
            detail=f"{len(found)} consultation groups listed",
        )
    return found


def _groups_for(user) -> list[ConsultationGroup]:
    current = Q(memberships__removed_at__isnull=True)
    groups = ConsultationGroup.objects.annotate(
        member_count=Count("memberships", filter=current, distinct=True),
        case_count=Count("cases", filter=Q(cases__status=CaseStatus.POSTED), distinct=True),
    ).order_by("name", "pk")
    if user.has_perm("supervision.manage_consultation_groups"):
        return list(groups)
    return list(groups.filter(pk__in=member_group_ids(user)))


def group_for_leader(*, user, group_id: int, actor: Actor | None = None) -> ConsultationGroup:
    """Return a group for its manager (a leader), or raise 404; with ``actor``, trail the read."""
    group = ConsultationGroup.objects.filter(pk=group_id).first()
    if group is None or not user.has_perm("supervision.manage_consultation_groups"):
        raise Http404
    if actor is not None:
        trail.record(
            actor=actor,
            action=TrailAction.VIEW,
            object_type="consultation_group",
            object_ref=group.pk,
            section="consultation",
            detail="members listed",
        )
    return group


def current_members(group: ConsultationGroup) -> list[GroupMembership]:
    return list(
        group.memberships.filter(removed_at__isnull=True)
        .select_related("member")
        .order_by("member__display_name", "member__username")
    )


def possible_members(group: ConsultationGroup):
    """Return active therapists and supervisors not yet in ``group``."""
    taken = group.memberships.filter(removed_at__isnull=True).values("member_id")
    return (
        StaffUser.objects.filter(is_active=True, role__in=[Role.THERAPIST, Role.SUPERVISOR])
        .exclude(pk__in=taken)
        .order_by("display_name", "username")
    )


@dataclass
class GroupPage:
    group: ConsultationGroup
    members: list[GroupMembership]
    cases: Sequence[CasePresentation]


def group_for_member(*, actor: StaffActor, group_id: int) -> GroupPage:
    """Return a group's page for one of its members, recording the look; else 404."""
    group = ConsultationGroup.objects.filter(pk=group_id).first()
    if group is None or not actor.user.has_perm("supervision.view_consultation_group", group):
        raise Http404
    cases = list(
        group.cases.filter(status=CaseStatus.POSTED)
        .select_related("presenter")
        .annotate(reply_count=Count("feedback"))
        .order_by("-posted_at", "-pk")
    )
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        object_type="consultation_group",
        object_ref=group.pk,
        section="consultation",
        detail=f"{len(cases)} cases listed",
    )
    return GroupPage(group, current_members(group), cases)


def group_for_presenter(*, user, group_id: int) -> ConsultationGroup:
    group = ConsultationGroup.objects.filter(pk=group_id).first()
    if group is None or not user.has_perm("supervision.present_to_group", group):
        raise Http404
    return group


def client_for_presentation(*, actor: StaffActor, client_id: int) -> Client:
    """Return a client of the presenter's own caseload, recording the read of the record."""
    client = client_queries.client_record(actor=actor, client_id=client_id, section="consultation")
    if not actor.user.has_perm("supervision.present_client", client):
        raise Http404
    return client


def draft_for_presenter(*, actor: StaffActor, case_id: int) -> CasePresentation:
    """Return the presenter's own draft, recording the read of the client's record; else 404."""
    case = (
        CasePresentation.objects.select_related("group", "client")
        .filter(pk=case_id, presenter=actor.user)
        .first()
    )
    if (
        case is None
        or not actor.user.has_perm("supervision.post_draft", case)
        or not actor.user.has_perm("supervision.present_to_group", case.group)
        or not actor.user.has_perm("supervision.present_client", case.client)
    ):
        raise Http404
    client_for_presentation(actor=actor, client_id=case.client_id)
    return case


def _names_in(identity) -> list[str]:
    answers = identity.answers if identity else {}
    return [
        answers[key]
        for key in (Question.CHOSEN_NAME, Question.LEGAL_NAME)
        if isinstance(answers.get(key), str)
    ]


def record_identifiers(client: Client, extra: dict | None = None) -> Identifiers:
    """Return every identifier of ``client`` in the record, plus what the presenter added."""
    extra = extra or {}
    names = [client.chosen_name, client.legal_name]
    for identity in client.self_identifications.all():
        names.extend(_names_in(identity))
    birth = extra.get("birth_date")
    return Identifiers(
        client_names=tuple(dict.fromkeys(n.strip() for n in names if n and n.strip())),
        other_names=tuple(extra.get("other_names", ())),
        emails=tuple(e for e in (client.email,) if e),
        phones=tuple(p for p in (client.phone,) if p),
        birth_date=date.fromisoformat(birth) if birth else None,
        places=tuple(extra.get("places", ())),
    )


def case_identifiers(case: CasePresentation) -> Identifiers:
    return record_identifiers(case.client, case.extra_identifiers or {})


IDENTITY_WORDS = (
    (Question.GENDER, "Gender"),
    (Question.RACE_ETHNICITY, "Race, ethnicity or heritage"),
    (Question.RELIGION, "Religion or spirituality"),
    (Question.ORIENTATION, "Sexual orientation"),
    (Question.ANYTHING_ELSE, "Anything else they want known"),
)


def prefill(client: Client) -> dict[str, str]:
    """Return the presentation's starting text from the record, in the client's own words."""
    identity = client.latest_identity
    answers = identity.answers if identity else {}
    lines = []
    if client.pronouns:
        lines.append(f"Pronouns: {client.pronouns}")
    for question, label in IDENTITY_WORDS:
        value = answers.get(question)
        words = value.get("words", "") if isinstance(value, dict) else value
        if isinstance(words, str) and words.strip():
            lines.append(f'{label}, in their words: "{words.strip()}"')
    languages = answers.get(Question.LANGUAGES)
    if languages:
        lines.append("Languages: " + ", ".join(language_names(languages)))
    formulation = client_queries.latest_formulation(client)
    concerns = ""
    formulation_lines = []
    if formulation:
        concerns = (formulation.answers or {}).get(FormulationTopic.PROBLEM, "")
        formulation_lines = [
            f'{prompt}\n"{answer}"'
            for prompt, answer in formulation_rows(formulation)
            if answer != concerns
        ]
    parts = []
    if lines:
        parts.append("How they describe themselves:\n" + "\n".join(lines))
    if concerns:
        parts.append(f'Presenting concerns, in their words:\n"{concerns}"')
    if formulation_lines:
        parts.append("Cultural formulation:\n" + "\n\n".join(formulation_lines))
    return {"context": "\n\n".join(parts)}


@dataclass
class FeedbackNode:
    item: CaseFeedback
    children: list[FeedbackNode] = field(default_factory=list)
    # A fresh key for the reply form under this item, so a double click stores once.
    reply_key: str = field(default_factory=lambda: str(uuid.uuid4()))


def case_for_member(
    *, actor: StaffActor, case_id: int
) -> tuple[CasePresentation, list[FeedbackNode]]:
    """Return a posted case and its threaded replies for a member, recording the read."""
    case = (
        CasePresentation.objects.select_related("group", "presenter")
        .filter(pk=case_id, status=CaseStatus.POSTED)
        .first()
    )
    if case is None or not actor.user.has_perm("supervision.view_case", case):
        raise Http404
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=case.client_id,
        object_type="case_presentation",
        object_ref=case.pk,
        section="consultation",
    )
    return case, feedback_tree(case)


def feedback_tree(case: CasePresentation) -> list[FeedbackNode]:
    nodes = {
        item.pk: FeedbackNode(item)
        for item in case.feedback.select_related("author").order_by("created_at", "pk")
    }
    roots: list[FeedbackNode] = []
    for node in nodes.values():
        parent_id = node.item.parent_id
        parent = nodes.get(parent_id) if parent_id is not None else None
        (parent.children if parent else roots).append(node)
    return roots


def today() -> date:
    return timezone.localdate()
