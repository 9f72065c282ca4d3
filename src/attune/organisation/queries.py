"""Reads of the self-assessment, action items, training records and the public statement."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, Sum
from django.http import Http404
from django.utils import translation

from attune.access.policy import is_leader
from attune.community.queries import interpreter_languages
from attune.organisation.models import (
    ActionItem,
    ActionStatus,
    Assessment,
    AssessmentItem,
    ItemDocument,
    ItemStatus,
    TrainingRecord,
    TrainingTopic,
)

BOARD_COLUMNS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)


def assessments() -> list[Assessment]:
    """Return every assessment, newest first, with counts of items by status."""
    return list(
        Assessment.objects.annotate(
            n_items=Count("items"),
            n_answered=Count("items", filter=~Q(items__status="")),
            n_met=Count("items", filter=Q(items__status=ItemStatus.MET)),
        )
    )


@dataclass
class Area:
    key: str
    label: str
    items: list = field(default_factory=list)


def assessment_areas(assessment: Assessment) -> list[Area]:
    """Return the assessment's items grouped by area, with their documents and action items."""
    items = assessment.items.prefetch_related(
        Prefetch("documents", queryset=ItemDocument.objects.order_by("uploaded_at", "pk")),
        Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
    )
    areas: dict[str, Area] = {}
    for item in items:
        areas.setdefault(item.area_key, Area(item.area_key, item.area_label)).items.append(item)
    return list(areas.values())


def assessment_item(item_id: int) -> AssessmentItem:
    item = (
        AssessmentItem.objects.select_related("assessment")
        .prefetch_related("documents", "action_items__owner")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class ItemChange:
    key: str
    area_label: str
    prompt: str
    before: str  # status label, or "" when the item was not in that assessment
    after: str
    changed: bool


def compare(earlier: Assessment, later: Assessment) -> list[ItemChange]:
    """Return each item of either assessment with its status in both, matched by key."""
    labels = dict(ItemStatus.choices)
    before = {item.key: item for item in earlier.items.all()}
    after = {item.key: item for item in later.items.all()}
    rows = []
    for key in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(key), after.get(key)
        shown = new or before[key]
        old_label = labels[old.status] if old else "Not in this assessment"
        new_label = labels[new.status] if new else "Not in this assessment"
        rows.append(
            ItemChange(
                key=key,
                area_label=shown.area_label,
                prompt=shown.prompt,
                before=old_label,
                after=new_label,
                changed=old_label != new_label,
            )
        )
    return rows


def action_scope(user) -> Q:
    """Return the filter for action items ``user`` may see: all for leaders, else their own."""
    if is_leader(user):
        return Q()
    return Q(owner=user)


def action_board(user) -> list[tuple[str, str, list[ActionItem]]]:
    """Return the board's columns (status, label, items) for ``user``."""
    actions = (
        ActionItem.objects.filter(action_scope(user))
        .select_related("owner")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    by_status = defaultdict(list)
    for action in actions:
        by_status[action.status].append(action)
    labels = dict(ActionStatus.choices)
    columns: list[tuple[str, str, list[ActionItem]]] = [
        (status, labels[status], by_status[status]) for status in BOARD_COLUMNS
    ]
    if by_status[ActionStatus.DROPPED]:  # shown only when there are some
        dropped = ActionStatus.DROPPED
        columns.append((dropped, labels[dropped], by_status[dropped]))
    return columns


def action_for(user, action_id: int) -> ActionItem:
    """Return the action item ``user`` may see, or raise 404."""
    action = (
        ActionItem.objects.filter(action_scope(user), pk=action_id)
        .select_related("owner", "assessment_item__assessment", "created_by")
        .prefetch_related("notes__author")
        .first()
    )
    if action is None:
        raise Http404
    return action


def training_for(user) -> list[TrainingRecord]:
    """Return ``user``'s own training records, newest first."""
    return list(TrainingRecord.objects.filter(staff=user))


@dataclass(frozen=True)
class TrainingSummary:
    by_topic: list[tuple[str, Decimal, int]]
    by_staff: list[dict]
    total_hours: Decimal


def training_summary(*, since=None) -> TrainingSummary:
    """Return hours by topic and by member of staff (never the reflections)."""
    records = TrainingRecord.objects.all()
    if since:
        records = records.filter(attended_on__gte=since)
    labels = dict(TrainingTopic.choices)
    topics = records.values("topic").annotate(hours=Sum("hours"), n=Count("id")).order_by("topic")
    staff_rows: dict[int, dict] = {}
    for row in records.values(
        "staff_id", "staff__display_name", "staff__username", "topic", "hours"
    ):
        entry = staff_rows.setdefault(
            row["staff_id"],
            {
                "name": row["staff__display_name"] or row["staff__username"],
                "hours": Decimal(0),
                "topics": Counter(),
            },
        )
        entry["hours"] += row["hours"]
        entry["topics"][labels.get(row["topic"], row["topic"])] += 1
    by_staff = sorted(staff_rows.values(), key=lambda e: e["name"].casefold())
    for entry in by_staff:
        entry["topics"] = sorted(entry["topics"])
    total = sum((row["hours"] for row in topics), Decimal(0))
    return TrainingSummary(
        by_topic=[(labels.get(r["topic"], r["topic"]), r["hours"], r["n"]) for r in topics],
        by_staff=by_staff,
        total_hours=total,
    )


@dataclass
class PublicStatement:
    assessment: Assessment | None
    sections: dict[str, list[dict]]
    languages: list[str]
    interpreter_languages: list[str]
    contact: str


# Languages often served by community agencies that Django's own table does not name, in each
# client language.
EXTRA_LANGUAGE_NAMES = {
    "so": {"en": "Somali", "es": "somalí", "ar": "الصومالية"},
    "ht": {"en": "Haitian Creole", "es": "criollo haitiano", "ar": "الكريولية الهايتية"},
    "ase": {
        "en": "American Sign Language",
        "es": "lengua de señas americana",
        "ar": "لغة الإشارة الأمريكية",
    },
    "ti": {"en": "Tigrinya", "es": "tigriña", "ar": "التغرينية"},
    "prs": {"en": "Dari", "es": "darí", "ar": "الدارية"},
    "qu": {"en": "Quechua", "es": "quechua", "ar": "الكيتشوا"},
}


def language_name(tag: str) -> str:
    """Return a language tag's name in the active language, or the tag as written."""
    try:
        return str(translation.get_language_info(tag.lower())["name_translated"])
    except KeyError:
        pass
    names = EXTRA_LANGUAGE_NAMES.get(tag.lower().split("-")[0])
    if names:
        return names.get(translation.get_language() or "en", names["en"])
    return tag


def public_statement(language: str) -> PublicStatement:
    """Return what the public access statement says, in ``language``, from the latest data.

    An item's sentence is shown while it is met or partly met in the assessment that speaks;
    languages come from the assessment and from the community partners who interpret.
    """
    # The newest completed assessment speaks for the agency; a new one being filled in does not
    # blank the statement.  Before any is completed, the newest one does.
    assessment = (
        Assessment.objects.filter(completed_on__isnull=False)
        .order_by("-completed_on", "-started_on", "-pk")
        .first()
        or Assessment.objects.order_by("-started_on", "-pk").first()
    )
    sections: dict[str, list[dict]] = defaultdict(list)
    languages: list[str] = []
    contact = ""
    if assessment is not None:
        for item in assessment.items.exclude(statement={}):
            if item.status not in (ItemStatus.MET, ItemStatus.PARTLY):
                continue
            texts = item.statement.get("text", {})
            sentence = texts.get(language) or texts.get("en", "")
            sections[item.statement["section"]].append(
                {
                    "text": sentence,
                    "lang": language if language in texts else "en",
                    "partly": item.status == ItemStatus.PARTLY,
                }
            )
        languages = [language_name(tag) for tag in assessment.language_tags]
        contact = assessment.public_contact
    partner_languages = [language_name(tag) for tag in interpreter_languages()]
    return PublicStatement(
        assessment=assessment,
        sections=dict(sections),
        languages=languages,
        interpreter_languages=[name for name in partner_languages if name not in languages],
        contact=contact,
    )
