"""The reflection journal: a therapist's private answers to reflective prompts.

An entry belongs to its author alone.  It is kept apart from the client's record (it is not a
clinical note, is never exported and never counted) and its words are encrypted at rest.  The
author may share one entry at a time with a current supervisor; each sharing keeps when it began
and when it ended.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.clients.encrypted import EncryptedJSONField, EncryptedTextField


class ReflectionTag(models.TextChoices):
    ASSUMPTION = "assumption", "Assumption noticed"
    COUNTERTRANSFERENCE = "countertransference", "Countertransference"
    SYSTEMIC = "systemic", "Systemic barrier"
    POWER = "power", "Power"


# The prompts, in the order they are asked: (code stored with the answer, the question shown).
REFLECTION_PROMPTS: tuple[tuple[str, str], ...] = (
    (
        "my_identities",
        "Where did my own background, privileges and blind spots colour what I noticed or "
        "how I understood this client?",
    ),
    (
        "effect_on_client",
        "How might the client have read who I am, and could that have changed what they "
        "felt able to bring?",
    ),
    (
        "assumed_and_learned",
        "What did I take for granted about this client, and what did they show me instead?",
    ),
    (
        "power",
        "Where was power in the room: between us, in the agency, in the systems around the client?",
    ),
)
PROMPT_CODES = tuple(code for code, _question in REFLECTION_PROMPTS)


class Reflection(models.Model):
    """One journal entry, optionally about a client (and a session) on the author's caseload."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reflections"
    )
    # The entry is the author's, not the client's: it outlives the link to a removed client.
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        "care.TherapySession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # {prompt code: answer}; only answered prompts are kept.
    answers = EncryptedJSONField(blank=True)
    text = EncryptedTextField(blank=True)
    # Raised by every edit, so a save from a stale tab is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["author", "created_at"], name="reflection_by_author")]
        constraints = [
            # A session is always seen through its client.
            models.CheckConstraint(
                condition=Q(session__isnull=True) | Q(client__isnull=False),
                name="reflection_session_needs_client",
            ),
        ]

    def __str__(self) -> str:
        return f"reflection {self.pk} by {self.author_id}"

    @property
    def tags(self) -> list[str]:
        """Return the entry's tag codes in the order of ``ReflectionTag``."""
        chosen = {tagging.tag for tagging in self.taggings.all()}
        return [code for code in ReflectionTag.values if code in chosen]

    @property
    def tag_labels(self) -> list[str]:
        return [ReflectionTag(code).label for code in self.tags]

    @property
    def answered_prompts(self) -> list[tuple[str, str]]:
        """Return (question, answer) for every prompt the author answered, in prompt order."""
        answers = self.answers or {}
        return [
            (question, answers[code]) for code, question in REFLECTION_PROMPTS if answers.get(code)
        ]


class ReflectionTagging(models.Model):
    """One tag on one entry: a row each so entries are filtered by tag in SQL."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="taggings")
    tag = models.CharField(max_length=24, choices=ReflectionTag.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reflection", "tag"], name="reflection_tag_once"),
        ]

    def __str__(self) -> str:
        return f"{self.tag} on reflection {self.reflection_id}"


class ReflectionSharing(models.Model):
    """A period during which the author let one supervisor read one entry."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="sharings")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField()
    unshared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-shared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reflection", "supervisor"],
                condition=Q(unshared_at__isnull=True),
                name="reflection_shared_once_at_a_time",
            ),
            models.CheckConstraint(
                condition=Q(unshared_at__isnull=True) | Q(unshared_at__gte=models.F("shared_at")),
                name="reflection_sharing_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"reflection {self.reflection_id} shared with {self.supervisor_id}"
