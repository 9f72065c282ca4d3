"""The organisational self-assessment, its action items and staff training records.

None of these rows is about a client: leaders see them in full.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ItemStatus(models.TextChoices):
    UNANSWERED = "", "Not answered yet"
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Assessment(models.Model):
    """One run of the self-assessment; its items are copied from the YAML file when it starts."""

    title = models.CharField(max_length=200)
    started_on = models.DateField()
    items_version = models.CharField(max_length=40, blank=True)
    # What the public access statement says about languages, and how to reach the agency.
    languages_served = models.CharField(
        max_length=400,
        blank=True,
        help_text="Language tags, separated by commas, for example: en, es, ar, so.",
    )
    public_contact = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def language_tags(self) -> list[str]:
        return [tag.strip() for tag in self.languages_served.split(",") if tag.strip()]


class AssessmentItem(models.Model):
    """One question of an assessment with its answer: status, evidence and date."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=80)
    area_key = models.SlugField(max_length=80)
    area_label = models.CharField(max_length=200)
    prompt = models.TextField()
    position = models.PositiveIntegerField()
    takes_documents = models.BooleanField(default=False)
    # {"section": ..., "text": {"en": ..., "es": ..., "ar": ...}} from the YAML, or {}.
    statement = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=ItemStatus.choices, blank=True, default=ItemStatus.UNANSWERED
    )
    notes = models.TextField(blank=True)
    # Links to evidence, one a line: Attune's own reports or anything else.
    evidence_links = models.TextField(blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="assessment_item_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.key}"

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]

    @property
    def needs_action(self) -> bool:
        return self.status in (ItemStatus.NOT_MET, ItemStatus.PARTLY)


class ItemDocument(models.Model):
    """A form or material uploaded as evidence, with its language audit.

    Only the audit is kept (the engine's JSON report and the text it read), not the file
    itself: the agency already keeps its own forms, and Attune stores no more than it needs.
    """

    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="documents")
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    profile = models.CharField(max_length=20)
    audit = models.JSONField()
    finding_count = models.PositiveIntegerField()
    missing_checks = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class ActionStatus(models.TextChoices):
    OPEN = "open", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionOrigin(models.TextChoices):
    ASSESSMENT = "assessment", "Self-assessment item"
    EQUITY = "equity", "Equity finding"
    OTHER = "other", "Other"


class ActionItem(models.Model):
    """Something the agency commits to change, with an owner and a due date."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    origin_kind = models.CharField(
        max_length=20, choices=ActionOrigin.choices, default=ActionOrigin.OTHER
    )
    # The words it came from: the item's prompt or the equity finding's sentence.
    origin = models.TextField(blank=True)
    assessment_item = models.ForeignKey(
        AssessmentItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status"], name="action_by_owner")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in (ActionStatus.DONE, ActionStatus.DROPPED)


class ActionNote(models.Model):
    """A progress note on an action item, with the status it left the item in."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"note on action {self.action_id}"


class TrainingTopic(models.TextChoices):
    CULTURAL_HUMILITY = "cultural_humility", "Cultural humility"
    INTERPRETERS = "interpreters", "Working with interpreters"
    TRAUMA = "trauma", "Trauma-informed care"
    HISTORICAL_TRAUMA = "historical_trauma", "Historical trauma and oppression"
    ANTI_OPPRESSION = "anti_oppression", "Anti-oppression and anti-racism"
    ACCESSIBILITY = "accessibility", "Disability and accessibility"
    LGBTQ = "lgbtq", "Gender and sexual diversity"
    OTHER = "other", "Other"


class TrainingRecord(models.Model):
    """A training a member of staff took part in, with their own reflection on it."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records"
    )
    topic = models.CharField(max_length=30, choices=TrainingTopic.choices)
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    attended_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    # Private to the member of staff: leaders see hours and topics, not reflections.
    reflection = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-attended_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=200),
                name="training_hours_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.title
