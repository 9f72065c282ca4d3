"""Every write of consultation groups: groups, members, case presentations and replies.

A case is posted only after the server has de-identified the presenter's original text once
more and checked the text they confirmed: if anything still identifies the client, or a date in
it was not shifted, nothing is stored.  The original text is never stored.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import Role, StaffUser, TrailAction
from attune.clients.models import Client
from attune.relationships.models import ConsultationGroup, GroupMembership
from attune.supervision import deidentify as engine
from attune.supervision.models import CaseFeedback, CasePresentation, CaseStatus
from attune.supervision.queries.consultation import case_identifiers, record_identifiers

CASE_FIELDS = ("title", "question", "context")
# Dates move by 3 to 26 weeks, earlier or later: far enough that no date can be looked up,
# near enough that seasons and school terms still read true.
OFFSET_DAYS = (21, 182)


class MembershipError(ValueError):
    """The membership cannot change that way."""


def _group_trail(actor: Actor, group: ConsultationGroup, action: str, detail: str) -> None:
    trail.record(
        actor=actor,
        action=action,
        object_type="consultation_group",
        object_ref=group.pk,
        section="consultation",
        detail=detail,
    )


@transaction.atomic
def group_create(*, actor: StaffActor, name: str, purpose: str = "") -> ConsultationGroup:
    group = ConsultationGroup.objects.create(
        name=name.strip(), purpose=purpose.strip(), created_by=actor.user
    )
    _group_trail(actor, group, TrailAction.CREATE, "group created")
    return group


@transaction.atomic
def membership_add(
    *, actor: StaffActor, group: ConsultationGroup, member: StaffUser
) -> GroupMembership:
    """Add a therapist or supervisor to ``group``."""
    if not member.is_active or member.role not in (Role.THERAPIST, Role.SUPERVISOR):
        raise MembershipError("only active therapists and supervisors can be members")
    try:
        with transaction.atomic():
            membership = GroupMembership.objects.create(
                group=group, member=member, added_by=actor.user
            )
    except IntegrityError as error:
        raise MembershipError(f"{member} is already a member") from error
    _group_trail(actor, group, TrailAction.UPDATE, f"member {member.pk} added")
    return membership


@transaction.atomic
def membership_remove(*, actor: Actor, membership: GroupMembership) -> GroupMembership:
    updated = GroupMembership.objects.filter(pk=membership.pk, removed_at__isnull=True).update(
        removed_at=timezone.now()
    )
    if updated:
        _group_trail(
            actor, membership.group, TrailAction.UPDATE, f"member {membership.member_id} removed"
        )
    membership.refresh_from_db()
    return membership


def random_offset() -> int:
    """Return a random number of days, never zero, for one presentation's dates."""
    low, high = OFFSET_DAYS
    days = low + secrets.randbelow(high - low + 1)
    return days if secrets.randbelow(2) else -days


@transaction.atomic
def case_draft_start(
    *, actor: StaffActor, group: ConsultationGroup, client: Client
) -> CasePresentation:
    """Start a presentation: a draft that holds only the group, the client and the offset."""
    case = CasePresentation.objects.create(
        group=group, presenter=actor.user, client=client, day_offset=random_offset()
    )
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        client_id=client.pk,
        object_type="case_presentation",
        object_ref=case.pk,
        section="consultation",
        detail=f"draft for group {group.pk}",
    )
    return case


def extra_identifiers(*, other_names=(), places=(), birth_date: date | None = None) -> dict:
    return {
        "other_names": [n for n in other_names if n],
        "places": [p for p in places if p],
        "birth_date": birth_date.isoformat() if birth_date else "",
    }


def preview(
    case: CasePresentation, source: dict[str, str], extra: dict
) -> dict[str, engine.Result]:
    """Return the de-identified version of each field of ``source`` (nothing is stored)."""
    identifiers = record_identifiers(case.client, extra)
    today = timezone.localdate()
    return {
        name: engine.deidentify(
            source.get(name, ""), identifiers, day_offset=case.day_offset, today=today
        )
        for name in CASE_FIELDS
    }


@dataclass
class Refusal:
    """Why a case or a reply was not stored, in words for the person who wrote it."""

    messages: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.messages)


LABELS = {"title": "Title", "question": "Question for the group", "context": "Context"}


def check_confirmed_text(
    case: CasePresentation, source: dict[str, str], final: dict[str, str], extra: dict
) -> Refusal:
    """Check the text the presenter confirmed against the record, field by field."""
    identifiers = record_identifiers(case.client, extra)
    expected = preview(case, source, extra)
    today = timezone.localdate()
    refusal = Refusal()
    if not final.get("question", "").strip():
        refusal.messages.append("Question for the group: write what you would like to ask.")
    for name in CASE_FIELDS:
        text = final.get(name, "")
        for finding in engine.find_identifiers(text, identifiers, exact_ages=True, today=today):
            refusal.messages.append(
                f"{LABELS[name]}: “{finding.found}” is still there ({finding.reason})."
            )
        shifted = set(engine.dates_in(expected[name].text, today=today))
        for written in engine.dates_in(text, today=today):
            if written not in shifted:
                refusal.messages.append(
                    f"{LABELS[name]}: the date “{written}” was not shifted. Write dates in "
                    "your original text and preview again."
                )
    return refusal


@transaction.atomic
def case_post(
    *,
    actor: Actor,
    case: CasePresentation,
    source: dict[str, str],
    final: dict[str, str],
    extra: dict,
) -> tuple[CasePresentation | None, Refusal]:
    """Post a draft with the text the presenter confirmed, once, after checking it again."""
    refusal = check_confirmed_text(case, source, final, extra)
    if refusal:
        return None, refusal
    posted = CasePresentation.objects.filter(pk=case.pk, status=CaseStatus.DRAFT).update(
        status=CaseStatus.POSTED,
        posted_at=timezone.now(),
        # update() encrypts through each field, as save() would.
        title=final.get("title", "").strip(),
        question=final["question"].strip(),
        context=final.get("context", "").strip(),
        extra_identifiers=extra,
    )
    case.refresh_from_db()
    if not posted:
        return case, Refusal()  # already posted (a second click): nothing more to do
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        client_id=case.client_id,
        object_type="case_presentation",
        object_ref=case.pk,
        section="consultation",
        detail=f"case posted to group {case.group_id}",
    )
    return case, Refusal()


def feedback_findings(case: CasePresentation, body: str) -> list[engine.Finding]:
    return engine.find_identifiers(body, case_identifiers(case), today=timezone.localdate())


KIND_WORDS = {
    "name": "a name or a form of a name from the client's record",
    "email": "an email address",
    "phone": "a phone number",
    "birth_date": "a date of birth",
    "address": "a street address",
    "postcode": "a postcode",
    "place": "a place from the client's record",
    "url": "a web address",
    "handle": "a username",
}


@transaction.atomic
def feedback_add(
    *,
    actor: StaffActor,
    case: CasePresentation,
    body: str,
    submission_key: UUID,
    parent: CaseFeedback | None = None,
) -> tuple[CaseFeedback | None, Refusal]:
    """Add a reply to ``case`` (or to ``parent``), once per submission key, unless it holds
    an identifier of the client; a refusal is trailed, without the words."""
    existing = CaseFeedback.objects.filter(author=actor.user, submission_key=submission_key).first()
    if existing is not None:
        return existing, Refusal()
    if parent is not None and parent.case_id != case.pk:
        raise ValueError("a reply must belong to the same case")
    findings = feedback_findings(case, body)
    if findings:
        kinds = sorted({f.kind for f in findings})
        trail.record(
            actor=actor,
            action=TrailAction.DENIED,
            client_id=case.client_id,
            object_type="case_presentation",
            object_ref=case.pk,
            section="consultation",
            detail="reply refused: contained " + ", ".join(kinds),
            flagged=True,
        )
        words = [f"“{f.found}” ({KIND_WORDS.get(f.kind, f.kind)})" for f in findings]
        return None, Refusal(
            [
                "Your reply was not posted: it contains "
                + "; ".join(words)
                + ". Take it out and post again. Nobody else has seen it."
            ]
        )
    try:
        with transaction.atomic():
            item = CaseFeedback.objects.create(
                case=case,
                parent=parent,
                author=actor.user,
                body=body.strip(),
                submission_key=submission_key,
            )
    except IntegrityError:
        return CaseFeedback.objects.get(author=actor.user, submission_key=submission_key), Refusal()
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        client_id=case.client_id,
        object_type="case_feedback",
        object_ref=item.pk,
        section="consultation",
        detail=f"reply on case {case.pk}",
    )
    return item, Refusal()
