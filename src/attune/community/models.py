"""Community partners, referrals of clients to them, and the client's feedback on a referral."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from attune.clients.encrypted import EncryptedTextField


class PartnerKind(models.TextChoices):
    CULTURAL_HEALING = "cultural_healing", "Culturally rooted healing"
    FAITH = "faith", "Faith-based organisation"
    PEER = "peer", "Peer support"
    INTERPRETER = "interpreter", "Interpreters"
    LEGAL = "legal", "Legal services"
    SOCIAL = "social", "Social services"
    OTHER = "other", "Other"


class Partner(models.Model):
    """An organisation in the community the agency works with and refers clients to."""

    name = models.CharField(max_length=200)
    kinds = models.JSONField(default=list)  # PartnerKind values
    # Language tags (BCP 47), separated by commas.
    languages = models.CharField(max_length=400, blank=True)
    populations = models.TextField(blank=True)
    contact = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def language_tags(self) -> list[str]:
        return [tag.strip() for tag in self.languages.split(",") if tag.strip()]

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(PartnerKind.choices)
        return [labels.get(kind, kind) for kind in self.kinds]


class FollowUp(models.TextChoices):
    PENDING = "pending", "Not followed up yet"
    CONNECTED = "connected", "The client is in touch with them"
    NOT_CONNECTED = "not_connected", "The client could not connect"
    DECLINED = "declined", "The client decided not to go"


class Referral(models.Model):
    """A client referred to a partner, with their consent; part of the client's record.

    The partner's name is copied when the referral is made, so the history stays readable if
    the partner is later removed (the foreign key is then emptied).
    """

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    partner_name = models.CharField(max_length=200)
    reason = EncryptedTextField(blank=True)
    consent_given_on = models.DateField()
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_on = models.DateField()
    follow_up = models.CharField(max_length=20, choices=FollowUp.choices, default=FollowUp.PENDING)
    follow_up_notes = EncryptedTextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    feedback_link = models.OneToOneField(
        "clients.ClientLink",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referral",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [models.Index(fields=["client", "referred_on"], name="referral_by_client")]

    def __str__(self) -> str:
        return f"referral {self.pk} of client {self.client_id} to {self.partner_name}"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class ReferralFeedback(models.Model):
    """The client's own word on a referral: was it helpful, did they feel respected."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.CharField(max_length=12, choices=Answer.choices)
    respected = models.CharField(max_length=12, choices=Answer.choices)
    comment = EncryptedTextField(blank=True)
    via_link = models.ForeignKey(
        "clients.ClientLink", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feedback on referral {self.referral_id}"
