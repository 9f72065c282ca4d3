"""The client record and the private links that stand in for a client account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.clients.encrypted import EncryptedTextField


class ContactConsent(models.TextChoices):
    NONE = "none", "Do not contact"
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    BOTH = "both", "Email or text message"


class InterpreterNeed(models.TextChoices):
    NOT_ASKED = "", "Not asked yet"
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


class Client(models.Model):
    """A client of the agency, always shown by chosen name and pronouns.

    Free-text personal fields are encrypted at rest.  The legal name is kept apart and shown
    only where billing or law needs it.
    """

    case_code = models.CharField(max_length=12, unique=True)
    chosen_name = EncryptedTextField()
    pronouns = EncryptedTextField(blank=True)
    legal_name = EncryptedTextField(blank=True)
    email = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    contact_consent = models.CharField(
        max_length=10, choices=ContactConsent.choices, default=ContactConsent.NONE
    )
    # A BCP-47 tag such as "es" or "zh-Hant"; plain so the equity reports can count it.
    preferred_language = models.CharField(max_length=35, blank=True)
    # The language the client chose for Attune's own pages (one of settings.CLIENT_LANGUAGES).
    page_language = models.CharField(max_length=10, blank=True)
    interpreter_needed = models.CharField(
        max_length=10, choices=InterpreterNeed.choices, blank=True, default=""
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clients",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["therapist", "closed_at"], name="client_caseload")]

    def __str__(self) -> str:
        return self.case_code

    @property
    def needs_interpreter(self) -> bool:
        return self.interpreter_needed == InterpreterNeed.YES


class LinkPurpose:
    """Purposes of the clients app's own links; other apps register theirs (link_pages.py)."""

    PROFILE = "profile"


class ClientLink(models.Model):
    """A private link for one client and one purpose.  Only the token's hash is stored."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="links")
    # One of the purposes registered in attune.clients.link_pages.
    purpose = models.CharField(max_length=30)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    single_use = models.BooleanField(default=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="link_expires_after_issue"
            )
        ]

    def __str__(self) -> str:
        return f"link {self.pk} ({self.purpose})"
