"""Cultural adaptations of the therapy for one client, and the client's feedback on each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from attune.clients.encrypted import EncryptedTextField


class AdaptationArea(models.TextChoices):
    LANGUAGE = "language", "Language"
    METAPHORS = "metaphors", "Metaphors and examples"
    FAMILY = "family", "Family or community involvement"
    SPIRITUAL = "spiritual", "Spiritual or traditional practices"
    FORMAT = "format", "Format"
    PACING = "pacing", "Pacing"
    SETTING = "setting", "Setting"


class CulturalAdaptation(models.Model):
    """One way the therapy was adapted for the client, why, and for how long.

    ``row_version`` grows by one on each edit; an edit names the version it started from, so
    two tabs cannot silently overwrite each other.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="cultural_adaptations"
    )
    area = models.CharField(max_length=20, choices=AdaptationArea.choices)
    what = EncryptedTextField()
    why = EncryptedTextField(blank=True)
    started_on = models.DateField()
    stopped_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=F("started_on")),
                name="adaptation_stops_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["client", "started_on"], name="adaptation_by_client")]

    def __str__(self) -> str:
        return f"{self.area} adaptation {self.pk} of client {self.client_id}"

    @property
    def active(self) -> bool:
        return self.stopped_on is None


class AdaptationFit(models.TextChoices):
    FITS = "fits", "This fits me"
    PARTLY = "partly", "Partly"
    DOES_NOT_FIT = "does_not_fit", "This does not fit me"
    NOT_SURE = "not_sure", "Not sure"


class AdaptationFeedback(models.Model):
    """The client's word on one adaptation at one time.

    Either the client wrote it through a link, or the therapist recorded what the client said
    (``recorded_by``); each row says which.
    """

    adaptation = models.ForeignKey(
        CulturalAdaptation, on_delete=models.CASCADE, related_name="feedback"
    )
    fit = models.CharField(max_length=15, choices=AdaptationFit.choices, blank=True)
    comment = EncryptedTextField(blank=True)
    via_link = models.ForeignKey(
        "clients.ClientLink", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        constraints = [
            # Exactly one source: the client's link, or the therapist recording it.
            models.CheckConstraint(
                condition=(Q(via_link__isnull=True) & Q(recorded_by__isnull=False))
                | (Q(via_link__isnull=False) & Q(recorded_by__isnull=True)),
                name="adaptation_feedback_has_one_source",
            ),
            models.CheckConstraint(
                condition=~Q(fit="") | ~Q(comment=""), name="adaptation_feedback_says_something"
            ),
            models.UniqueConstraint(
                fields=["adaptation", "via_link"], name="one_feedback_per_adaptation_and_link"
            ),
        ]

    def __str__(self) -> str:
        return f"feedback on adaptation {self.adaptation_id}"

    @property
    def from_client_link(self) -> bool:
        return self.via_link_id is not None
