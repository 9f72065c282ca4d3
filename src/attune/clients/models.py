"""The client record and the private links that stand in for a client account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.clients.encrypted import EncryptedJSONField, EncryptedNameField, EncryptedTextField
from attune.clients.vocabulary import ACCESS_BADGES


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


class EndReason(models.TextChoices):
    """Why an episode of care ended (the equity report's end_reason)."""

    COMPLETED = "completed", "Completed"
    DROPPED_OUT = "dropped_out", "Stopped coming"
    TRANSFERRED = "transferred", "Transferred"


class Client(models.Model):
    """A client of the agency, always shown by chosen name and pronouns.

    Free-text personal fields are encrypted at rest.  The legal name is kept apart and shown
    only where billing or law needs it.
    """

    case_code = models.CharField(max_length=12, unique=True)
    chosen_name = EncryptedNameField()
    pronouns = EncryptedNameField(blank=True)
    legal_name = EncryptedNameField(blank=True)
    email = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    # A keyed hash of the phone in E.164, to find a client by number (clients.phone_index);
    # kept in step with ``phone`` by ``save``.
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    contact_consent = models.CharField(
        max_length=10, choices=ContactConsent.choices, default=ContactConsent.NONE
    )
    # Set when the client texted STOP (or its like) back: no text goes to them until START.
    sms_opted_out_at = models.DateTimeField(null=True, blank=True)
    sms_opt_out_source = models.CharField(max_length=40, blank=True)
    # Where the client lives, as an IANA name ("America/Chicago"), for the quiet hours of texts;
    # blank: the phone number's zone when it has only one, else the agency's (clients.time_zones).
    time_zone = models.CharField(max_length=64, blank=True)
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
    # The newest self-identification, kept here so lists and reports need no "latest" subquery;
    # set only by services.self_identification_record.
    latest_identity = models.ForeignKey(
        "SelfIdentification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Accessibility needs from the newest self-identification (codes), for caseload badges.
    access_needs = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Empty while the episode is ongoing; set with closed_at by services.client_close.
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)

    class Meta:
        indexes = [models.Index(fields=["therapist", "closed_at"], name="client_caseload")]

    def __str__(self) -> str:
        return self.case_code

    def save(self, *args, **kwargs):
        from attune.clients.phone_index import phone_index

        if "phone" not in self.get_deferred_fields():
            self.phone_index = phone_index(self.phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_index"}
        super().save(*args, **kwargs)

    @property
    def needs_interpreter(self) -> bool:
        return self.interpreter_needed == InterpreterNeed.YES

    @property
    def access_badges(self) -> list[str]:
        return [ACCESS_BADGES.get(code, code) for code in self.access_needs]


class LinkPurpose:
    """Purposes of the clients app's own links; other apps register theirs (link_purposes.py)."""

    PROFILE = "profile"
    SELF_IDENTIFICATION = "self_identification"
    FORMULATION = "formulation"


class ClientLink(models.Model):
    """A private link for one client and one purpose.  Only the token's hash is stored."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="links")
    # One of the purposes registered in attune.clients.link_purposes.
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


class Question(models.TextChoices):
    """The questions of self-identification; each can be answered, declined or not yet asked."""

    CHOSEN_NAME = "chosen_name", "Chosen name"
    PRONOUNS = "pronouns", "Pronouns"
    LEGAL_NAME = "legal_name", "Legal name"
    GENDER = "gender", "Gender identity"
    SEX_AT_BIRTH = "sex_at_birth", "Sex assigned at birth"
    ORIENTATION = "orientation", "Sexual orientation"
    RACE_ETHNICITY = "race_ethnicity", "Race and ethnicity"
    LANGUAGES = "languages", "Languages"
    INTERPRETER = "interpreter", "Interpreter"
    SIGN_LANGUAGE = "sign_language", "Sign language"
    ACCESSIBILITY = "accessibility", "Accessibility needs"
    RELIGION = "religion", "Religion or spirituality"
    FEE_TIER = "fee_tier", "Fee"
    ANYTHING_ELSE = "anything_else", "Anything else"


class Authored(models.Model):
    """A version written either by a staff member or by the client through a link, never both."""

    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_via_link = models.ForeignKey(
        ClientLink, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def written_by_client(self) -> bool:
        return self.written_via_link_id is not None


class SelfIdentification(Authored):
    """One version of how a client describes themselves; a change is a new version.

    ``answers`` (encrypted) holds the client's words and choices by question; ``declined`` lists
    the questions the client chose not to answer.  A question in neither was not asked.
    """

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="self_identifications"
    )
    answers = EncryptedJSONField(blank=True)
    declined = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="one_identity_per_version"),
            models.CheckConstraint(
                condition=Q(written_by__isnull=True) | Q(written_via_link__isnull=True),
                name="identity_has_one_author",
            ),
        ]

    def __str__(self) -> str:
        return f"self-identification v{self.version} of client {self.client_id}"


class IdentityCategory(models.Model):
    """A category a client chose, in the reporting layer that aggregates are counted from."""

    self_identification = models.ForeignKey(
        SelfIdentification, on_delete=models.CASCADE, related_name="categories"
    )
    question = models.CharField(max_length=30, choices=Question.choices)
    code = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["self_identification", "question", "code"], name="category_once"
            )
        ]
        indexes = [models.Index(fields=["question", "code"], name="category_by_code")]

    def __str__(self) -> str:
        return f"{self.question}={self.code}"


class FormulationTopic(models.TextChoices):
    """The cultural formulation's topics, in four parts (see docs/self-identification.md)."""

    PROBLEM = "problem", "The problem in the client's words"
    OTHERS_VIEW = "others_view", "What people close to them think"
    CAUSES = "causes", "What they think caused it"
    STRESSES = "stresses", "What makes it harder"
    SUPPORTS = "supports", "What helps them get through"
    IDENTITY_MEANING = "identity_meaning", "What their background and identity mean to them"
    PAST_COPING = "past_coping", "How they have coped before"
    PAST_HELP = "past_help", "Help they have looked for before"
    HOPES = "hopes", "What they hope for now"
    THERAPIST_BACKGROUND = "therapist_background", "Concerns about a therapist's background"


class CulturalFormulation(Authored):
    """One version of the client's cultural formulation, in their words; never overwritten."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="cultural_formulations"
    )
    answers = EncryptedJSONField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "version"], name="one_formulation_per_version"
            ),
            models.CheckConstraint(
                condition=Q(written_by__isnull=True) | Q(written_via_link__isnull=True),
                name="formulation_has_one_author",
            ),
        ]

    def __str__(self) -> str:
        return f"cultural formulation v{self.version} of client {self.client_id}"
