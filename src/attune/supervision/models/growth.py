"""Growth plans: a supervisee's goals for cultural learning, with evidence and reviews.

Supervisor and supervisee both write; every entry keeps its author, and a change to a goal is
recorded as an entry with what it was before, so the plan's history is never lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from attune.clients.encrypted import EncryptedTextField


class GoalKind(models.TextChoices):
    EDUCATION = "education", "Education (reading, courses)"
    TRAINING = "training", "Training (skills practice)"
    EXPERIENTIAL = "experiential", "Experiential learning"
    CONSULTATION = "consultation", "Consultation (groups, peers, communities)"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    SET_ASIDE = "set_aside", "Set aside"


class GrowthGoal(models.Model):
    """One goal of a supervisee's growth plan."""

    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="growth_goals"
    )
    kind = models.CharField(max_length=14, choices=GoalKind.choices)
    title = models.CharField(max_length=200)
    description = EncryptedTextField(blank=True)
    target_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "target_on", "pk"]

    def __str__(self) -> str:
        return self.title


class EntryKind(models.TextChoices):
    EVIDENCE = "evidence", "Evidence"
    REVIEW = "review", "Progress review"
    CHANGE = "change", "Goal changed"


class GrowthEntry(models.Model):
    """An entry in a goal's history: evidence, a progress review, or a change; never edited."""

    goal = models.ForeignKey(GrowthGoal, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    text = EncryptedTextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on goal {self.goal_id}"
