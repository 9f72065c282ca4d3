"""The co-created treatment plan: the client's goals in their own words, versioned.

Each save is a new ``TreatmentPlan`` row with its author (a staff member, or the client through
a private link); an earlier version is never changed except to note when it was superseded.
The client's agreement is recorded against the exact version they read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.clients.encrypted import EncryptedJSONField, EncryptedTextField


class TreatmentPlan(models.Model):
    """One version of a client's plan.

    ``goals`` (encrypted) is a list of ``{"words", "signs", "framing"}``: the goal in the
    client's words, the client's own signs of progress, and the therapist's clinical framing
    kept beside them (never in place of the client's words).  The current version is the one
    with no ``superseded_at``; a constraint keeps it unique per client.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="treatment_plans"
    )
    version = models.PositiveIntegerField()
    goals = EncryptedJSONField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_via_link = models.ForeignKey(
        "clients.ClientLink", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["client", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="one_plan_per_version"),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_plan_per_client",
            ),
            models.CheckConstraint(
                condition=Q(written_by__isnull=True) | Q(written_via_link__isnull=True),
                name="plan_has_one_author",
            ),
        ]
        indexes = [models.Index(fields=["review_on"], name="plan_by_review_date")]

    def __str__(self) -> str:
        return f"plan v{self.version} of client {self.client_id}"

    @property
    def written_by_client(self) -> bool:
        return self.written_via_link_id is not None

    @property
    def goal_words(self) -> list[str]:
        return [goal["words"] for goal in self.goals or [] if goal.get("words")]


class AgreementAnswer(models.TextChoices):
    AGREE = "agree", "This plan reflects what I want"
    NOT_YET = "not_yet", "Not yet"


class PlanAgreement(models.Model):
    """The client's answer, through a private link, to one version of their plan."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="agreements")
    answer = models.CharField(max_length=10, choices=AgreementAnswer.choices)
    # An optional comment with "agree"; what should change with "not yet".
    comment = EncryptedTextField(blank=True)
    # One answer per link: with the link's single-use claim, a second click stores nothing.
    via_link = models.OneToOneField(
        "clients.ClientLink", on_delete=models.PROTECT, related_name="plan_agreement"
    )
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-answered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="agree") | ~Q(comment=""),
                name="not_yet_says_what_should_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answer} to plan {self.plan_id}"

    @property
    def agreed(self) -> bool:
        return self.answer == AgreementAnswer.AGREE


class ClientViewMode(models.TextChoices):
    OFF = "off", "Off: no page for the client"
    PLAN = "plan", "Their plan and goals"
    PLAN_AND_CHECKINS = "plan_and_checkins", "Their plan, goals and their own check-in history"


class ClientViewChoice(models.Model):
    """What the client may see of their own plan through a link, as they and the therapist chose.

    Append-only: the newest row is the choice in force; no row means off.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="client_view_choices"
    )
    mode = models.CharField(max_length=20, choices=ClientViewMode.choices)
    chosen_with_client = models.BooleanField(default=False)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode="off") | Q(chosen_with_client=True),
                name="client_view_on_only_when_chosen_with_client",
            ),
        ]

    def __str__(self) -> str:
        return f"client view {self.mode} for client {self.client_id}"

    @property
    def shows_plan(self) -> bool:
        return self.mode != ClientViewMode.OFF

    @property
    def shows_checkins(self) -> bool:
        return self.mode == ClientViewMode.PLAN_AND_CHECKINS
