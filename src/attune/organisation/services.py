"""Every write of the self-assessment, action items and training records.

No row here is about a client, so no entry names one; each write still goes to the access
trail so a leader can see who changed the agency's own record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.language import ReaderError, audit_bytes, report_to_json_dict
from attune.language.uploads import MAX_UPLOAD_BYTES, UPLOAD_EXTENSIONS
from attune.organisation.items import ItemSet, load_items
from attune.organisation.models import (
    ActionItem,
    ActionNote,
    ActionOrigin,
    ActionStatus,
    Assessment,
    AssessmentItem,
    ItemDocument,
    TrainingRecord,
)

# The same limits as the language audit's own page.
MAX_DOCUMENT_BYTES = MAX_UPLOAD_BYTES
DOCUMENT_EXTENSIONS = UPLOAD_EXTENSIONS
REMINDER_DAYS_AHEAD = 7


class DocumentRefused(ValueError):
    """An upload that cannot be audited; the message is for the person who sent it."""


def items_for_new_assessment() -> ItemSet:
    """Return the item set a new assessment copies: the agency's file, or the bundled one."""
    path = settings.ATTUNE_ASSESSMENT_ITEMS
    return load_items(Path(path) if path else None)


@transaction.atomic
def assessment_start(
    *,
    actor: StaffActor,
    title: str,
    started_on: date,
    languages_served: str = "",
    public_contact: str = "",
    item_set: ItemSet | None = None,
) -> Assessment:
    """Start an assessment with a copy of every item of the item set."""
    item_set = item_set or items_for_new_assessment()
    assessment = Assessment.objects.create(
        title=title,
        started_on=started_on,
        items_version=item_set.version,
        languages_served=languages_served,
        public_contact=public_contact,
        created_by=actor.user,
    )
    AssessmentItem.objects.bulk_create(
        [
            AssessmentItem(
                assessment=assessment,
                key=spec.key,
                area_key=spec.area_key,
                area_label=spec.area_label,
                prompt=spec.prompt,
                position=position,
                takes_documents=spec.takes_documents,
                statement=spec.statement,
            )
            for position, spec in enumerate(item_set.items)
        ]
    )
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        object_type="assessment",
        object_ref=assessment.pk,
        section="organisation",
        detail=f"{len(item_set.items)} items, set {item_set.version}",
    )
    return assessment


@transaction.atomic
def assessment_update(
    *,
    actor: Actor,
    assessment: Assessment,
    title: str,
    languages_served: str,
    public_contact: str,
    completed_on: date | None,
) -> None:
    """Change an assessment's title, public details and completion date."""
    assessment.title = title
    assessment.languages_served = languages_served
    assessment.public_contact = public_contact
    assessment.completed_on = completed_on
    assessment.save()
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        object_type="assessment",
        object_ref=assessment.pk,
        section="organisation",
    )


@transaction.atomic
def assessment_item_answer(
    *,
    actor: Actor,
    item: AssessmentItem,
    status: str,
    notes: str,
    evidence_links: str,
    assessed_on: date | None,
) -> None:
    """Record an item's status, evidence and date."""
    item.status = status
    item.notes = notes
    item.evidence_links = evidence_links
    item.assessed_on = assessed_on
    item.updated_by = actor.user
    item.save()
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        object_type="assessment_item",
        object_ref=item.pk,
        section="organisation",
        detail=f"{item.key}: {status or 'unanswered'}",
    )


def check_document(data: bytes, filename: str) -> None:
    """Raise DocumentRefused for an upload that is too big or of a kind the audit cannot read."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(
            f"{filename} is too large to audit; the limit is {MAX_DOCUMENT_BYTES // 1000} kB."
        )
    if not data.strip():
        raise DocumentRefused(f"{filename} is empty.")
    if not filename.lower().endswith(DOCUMENT_EXTENSIONS):
        raise DocumentRefused(
            f"{filename} is not a kind of file the language audit reads. "
            "Upload a Word document (.docx), a PDF, a web page (.html) or plain text (.txt, .md)."
        )
    is_binary_kind = filename.lower().endswith((".docx", ".pdf"))
    if not is_binary_kind and b"\x00" in data[:8192]:
        raise DocumentRefused(f"{filename} does not contain text; check that it is the right file.")


@transaction.atomic
def item_document_audit(
    *, actor: StaffActor, item: AssessmentItem, data: bytes, filename: str
) -> ItemDocument:
    """Run an uploaded form or material through the language audit and attach the result.

    Raise DocumentRefused, storing nothing, when the file cannot be read.
    """
    filename = Path(filename).name[:255] or "upload"
    check_document(data, filename)
    try:
        report = audit_bytes(data, filename)
    except ReaderError as error:
        raise DocumentRefused(str(error)) from None
    audit = report_to_json_dict(report)
    audit["profile"] = report.profile
    document = ItemDocument.objects.create(
        item=item,
        filename=filename,
        size=len(data),
        profile=report.profile,
        audit=audit,
        finding_count=len(report.findings),
        missing_checks=sum(1 for check in report.checks if check.status == "missing"),
        uploaded_by=actor.user,
    )
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        object_type="item_document",
        object_ref=document.pk,
        section="organisation",
        detail=f"{filename}: {document.finding_count} findings",
    )
    return document


@transaction.atomic
def action_item_create(
    *,
    actor: StaffActor,
    title: str,
    owner,
    due_on: date | None = None,
    description: str = "",
    origin_kind: str = ActionOrigin.OTHER,
    origin: str = "",
    assessment_item: AssessmentItem | None = None,
) -> ActionItem:
    """Create an action item, from an assessment item, an equity finding or nothing."""
    if assessment_item is not None:
        origin_kind = ActionOrigin.ASSESSMENT
        origin = origin or assessment_item.prompt
    action = ActionItem.objects.create(
        title=title,
        description=description,
        owner=owner,
        due_on=due_on,
        origin_kind=origin_kind,
        origin=origin,
        assessment_item=assessment_item,
        created_by=actor.user,
    )
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        object_type="action_item",
        object_ref=action.pk,
        section="organisation",
        detail=f"owner {owner.pk}",
    )
    return action


@transaction.atomic
def action_item_update(
    *, actor: Actor, action: ActionItem, title: str, description: str, owner, due_on: date | None
) -> None:
    """Change an action item's title, description, owner or due date."""
    action.title = title
    action.description = description
    action.owner = owner
    action.due_on = due_on
    action.save()
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        object_type="action_item",
        object_ref=action.pk,
        section="organisation",
    )


@transaction.atomic
def action_item_progress(
    *, actor: StaffActor, action: ActionItem, status: str, note: str
) -> ActionNote:
    """Add a progress note to an action item and move it to ``status``."""
    ActionItem.objects.filter(pk=action.pk).update(status=status)
    action.status = status
    entry = ActionNote.objects.create(action=action, author=actor.user, text=note, status=status)
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        object_type="action_item",
        object_ref=action.pk,
        section="organisation",
        detail=f"status {status}",
    )
    return entry


@dataclass(frozen=True)
class RemindersSent:
    reminded: int
    owners: int


def action_item_reminders_send(*, now: datetime) -> RemindersSent:
    """Email each owner their open items that are overdue or due within a week, once a day.

    Each item is claimed with a conditional UPDATE on ``last_reminded_on`` before its email is
    composed, so two runs at once never remind twice.
    """
    today = now.date()
    due = (
        ActionItem.objects.filter(
            status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
            due_on__isnull=False,
            due_on__lte=today + timedelta(days=REMINDER_DAYS_AHEAD),
        )
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
        .select_related("owner")
        .order_by("owner_id", "due_on", "pk")
    )
    by_owner: dict = {}
    for action in due:
        claimed = (
            ActionItem.objects.filter(pk=action.pk)
            .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
            .update(last_reminded_on=today)
        )
        if claimed:
            by_owner.setdefault(action.owner, []).append(action)
    system = Actor.system()
    for owner, actions in by_owner.items():
        lines = [
            f"- {action.title} (due {action.due_on:%d %B %Y}"
            + (", overdue)" if action.due_on < today else ")")
            for action in actions
        ]
        if owner.email:
            send_mail(
                subject="Attune: action items due soon",
                message="These action items are yours and due soon:\n\n" + "\n".join(lines),
                from_email=None,
                recipient_list=[owner.email],
                fail_silently=True,
            )
        trail.record(
            actor=system,
            action=TrailAction.UPDATE,
            object_type="action_reminder",
            object_ref=owner.pk,
            section="organisation",
            detail=f"{len(actions)} items",
        )
    return RemindersSent(reminded=sum(len(a) for a in by_owner.values()), owners=len(by_owner))


@transaction.atomic
def training_record_add(
    *,
    actor: StaffActor,
    staff,
    topic: str,
    title: str,
    attended_on: date,
    hours,
    provider: str = "",
    reflection: str = "",
) -> TrainingRecord:
    """Record a training a member of staff took part in."""
    record = TrainingRecord.objects.create(
        staff=staff,
        topic=topic,
        title=title,
        provider=provider,
        attended_on=attended_on,
        hours=hours,
        reflection=reflection,
        recorded_by=actor.user,
    )
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        object_type="training_record",
        object_ref=record.pk,
        section="organisation",
        detail=f"staff {staff.pk}",
    )
    return record
