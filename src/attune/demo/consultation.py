"""Demo consultation group: members, one posted case with replies.  Everyone is invented."""

from __future__ import annotations

import uuid

from django.db import transaction

from attune.access.actor import StaffActor
from attune.access.models import Role, StaffUser
from attune.clients.models import Client
from attune.relationships.models import ConsultationGroup
from attune.supervision import services
from attune.supervision.services.consultation import extra_identifiers, preview

QUESTION = (
    "{name} says the family sees therapy as disloyal. How have you made room for a family's "
    "view without asking the client to choose between us and them?"
)
CONTEXT = (
    "{name} started on 3 February 2026 and asked on 17 February 2026 whether we could meet "
    'less often "so nobody at home notices". They describe their background as central to '
    "who they are, and say they feel torn between two ways of living."
)


@transaction.atomic
def seed_consultation() -> ConsultationGroup | None:
    """Create a consultation group with a posted case and two replies, once."""
    if ConsultationGroup.objects.exists():
        return None
    leader = StaffUser.objects.filter(role=Role.LEADER, is_active=True).order_by("pk").first()
    therapists = list(
        StaffUser.objects.filter(role=Role.THERAPIST, is_active=True).order_by("pk")[:3]
    )
    supervisor = (
        StaffUser.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("pk").first()
    )
    if leader is None or len(therapists) < 2 or supervisor is None:
        return None
    group = services.group_create(
        actor=StaffActor(user=leader, request_id="seed"),
        name="Cultural humility consultation",
        purpose="Monthly peer consultation on cultural questions, power and repair.",
    )
    for member in [*therapists, supervisor]:
        services.membership_add(
            actor=StaffActor(user=leader, request_id="seed"), group=group, member=member
        )
    presenter = therapists[0]
    client = (
        Client.objects.filter(therapist=presenter, closed_at__isnull=True).order_by("pk").first()
    )
    if client is None:
        return group
    actor = StaffActor(user=presenter, request_id="seed")
    draft = services.case_draft_start(actor=actor, group=group, client=client)
    source = {
        "title": "A family's view of therapy",
        "question": QUESTION.format(name=client.chosen_name),
        "context": CONTEXT.format(name=client.chosen_name),
    }
    extra = extra_identifiers()
    final = {name: result.text for name, result in preview(draft, source, extra).items()}
    case, _refusal = services.case_post(
        actor=actor, case=draft, source=source, final=final, extra=extra
    )
    if case is None:
        return group
    first, _ = services.feedback_add(
        actor=StaffActor(user=supervisor, request_id="seed"),
        case=case,
        body="Could you ask what a good outcome would look like to the family, in their words?",
        submission_key=uuid.uuid4(),
    )
    services.feedback_add(
        actor=StaffActor(user=therapists[1], request_id="seed"),
        case=case,
        body="I have offered a session with a relative present, on the client's terms; it helped.",
        submission_key=uuid.uuid4(),
        parent=first,
    )
    return group
