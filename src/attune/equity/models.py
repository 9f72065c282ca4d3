"""The dashboard's figures, computed ahead of time: group-level sums only, never a person.

A ``DashboardRefresh`` is one computation of every view the dashboard offers (each
attribute, the referral quarter and every intersection), with the number of episodes. Its
``DashboardCell`` rows hold what ``attune.equity.database``'s one statement returns for each
group of each view: the sums of ``summaries.AGGREGATE_FIELDS`` and ``NOTE_AGGREGATE_FIELDS``,
and the group's table of waits (how many episodes waited each number of days) as one list. A
request then reads a few hundred rows instead of aggregating every episode again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RefreshStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class DashboardRefresh(models.Model):
    """One computation of the dashboard's figures, from request to result."""

    status = models.CharField(
        max_length=10, choices=RefreshStatus.choices, default=RefreshStatus.QUEUED
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # Null when the nightly command ran it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    n_episodes = models.PositiveIntegerField(null=True, blank=True)
    n_cells = models.PositiveIntegerField(null=True, blank=True)
    # Why a refresh failed, for the leader's page (the exception's class and message).
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        get_latest_by = "finished_at"

    def __str__(self) -> str:
        return f"refresh {self.pk} ({self.status})"

    @property
    def seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class DashboardCell(models.Model):
    """One group of one view in a refresh: its sums and its table of waits."""

    refresh = models.ForeignKey(DashboardRefresh, on_delete=models.CASCADE, related_name="cells")
    # The attribute or intersection ("gender", "gender+languages").
    view = models.CharField(max_length=120)
    first_group = models.CharField(max_length=255)
    # The second component's group of an intersection; empty for a plain attribute.
    second_group = models.CharField(max_length=255)
    # [[days, episodes], ...]: how many of the group's episodes waited each whole number of
    # days from referral to a first session, in ascending order of days.
    waits = models.JSONField(default=list)
    # The sums, named as summaries.AGGREGATE_FIELDS, NOTE_AGGREGATE_FIELDS and
    # REACH_AGGREGATE_FIELDS (a test checks).
    # Counts and sums alike as doubles: every sum of whole numbers here is far below 2**53,
    # so it is stored exactly, and the report reads each one as a float anyway.
    episodes = models.FloatField(null=True, blank=True)
    never_seen = models.FloatField(null=True, blank=True)
    no_show_episodes = models.FloatField(null=True, blank=True)
    scheduled = models.FloatField(null=True, blank=True)
    missed = models.FloatField(null=True, blank=True)
    scheduled_sq = models.FloatField(null=True, blank=True)
    missed_sq = models.FloatField(null=True, blank=True)
    scheduled_missed = models.FloatField(null=True, blank=True)
    engaged = models.FloatField(null=True, blank=True)
    dropped_out = models.FloatField(null=True, blank=True)
    phq9_pairs = models.FloatField(null=True, blank=True)
    phq9_improved = models.FloatField(null=True, blank=True)
    gad7_pairs = models.FloatField(null=True, blank=True)
    gad7_improved = models.FloatField(null=True, blank=True)
    cases = models.FloatField(null=True, blank=True)
    recovered = models.FloatField(null=True, blank=True)
    humility_n = models.FloatField(null=True, blank=True)
    humility_sum = models.FloatField(null=True, blank=True)
    humility_sum_sq = models.FloatField(null=True, blank=True)
    alliance_n = models.FloatField(null=True, blank=True)
    alliance_sum = models.FloatField(null=True, blank=True)
    alliance_sum_sq = models.FloatField(null=True, blank=True)
    note_clients = models.FloatField(null=True, blank=True)
    note_words = models.FloatField(null=True, blank=True)
    note_findings = models.FloatField(null=True, blank=True)
    # summaries.REACH_AGGREGATE_FIELDS (figures stored before these existed have them empty).
    reach_clients = models.FloatField(null=True, blank=True)
    invitations = models.FloatField(null=True, blank=True)
    unreached = models.FloatField(null=True, blank=True)
    invitations_sq = models.FloatField(null=True, blank=True)
    unreached_sq = models.FloatField(null=True, blank=True)
    invitations_unreached = models.FloatField(null=True, blank=True)
    sms_clients = models.FloatField(null=True, blank=True)
    sms_opted_out = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["refresh", "view"], name="cell_by_refresh_view")]

    def __str__(self) -> str:
        return f"{self.view}: {self.first_group} {self.second_group}".strip()
