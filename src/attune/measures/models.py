"""Stored instruments, the check-ins sent to clients, their responses, and the signals raised.

The instrument itself stays the pure ``attune.measures.instrument.Instrument``; a row here keeps
the source document it was read from, so the same ``url|version`` always scores the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.clients.encrypted import EncryptedJSONField, EncryptedTextField
from attune.measures.contact import other_channel
from attune.measures.signals_rules import reason_label

if TYPE_CHECKING:
    from attune.measures.scoring import ScoreResult


class SourceFormat(models.TextChoices):
    YAML = "yaml", "Attune YAML"
    FHIR = "fhir", "FHIR Questionnaire (JSON)"


class ReviewState(models.TextChoices):
    READY = "ready", "Ready"
    NEEDS_REVIEW = "needs_review", "Needs review"
    ACCEPTED = "accepted", "Accepted after review"


class StoredInstrument(models.Model):
    """An instrument the agency can send, pinned by ``url|version``.

    An imported file whose own total disagrees with its weights, or with an unweighted question
    in a weighted instrument, is stored "needs review" with the findings, and is never sent to
    a client until a leader accepts it with a reason (trailed).
    """

    key = models.CharField(max_length=300, unique=True)
    url = models.CharField(max_length=255)
    version = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=100)
    title = models.CharField(max_length=255)
    languages = models.JSONField(default=list)
    validated = models.BooleanField(null=True)
    bundled = models.BooleanField(default=False)
    source_format = models.CharField(max_length=10, choices=SourceFormat.choices)
    source = models.TextField()
    imported_at = models.DateTimeField(auto_now_add=True)
    # Value sets the file cites without containing them, as they were when it was imported:
    # the instrument keeps scoring the same whatever the agency loads later.
    terminology = models.JSONField(default=dict, blank=True)
    review_state = models.CharField(
        max_length=14, choices=ReviewState.choices, default=ReviewState.READY
    )
    review_findings = models.JSONField(default=list, blank=True)
    review_reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "version"]

    def __str__(self) -> str:
        return self.key

    @property
    def needs_review(self) -> bool:
        return self.review_state == ReviewState.NEEDS_REVIEW


class TerminologyValueSet(models.Model):
    """A ValueSet the agency loaded (from a FHIR Bundle) for files that cite it by url."""

    url = models.CharField(max_length=255)
    version = models.CharField(max_length=40, blank=True)
    resource = models.JSONField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url", "version"]
        constraints = [
            models.UniqueConstraint(fields=["url", "version"], name="one_value_set_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.url}|{self.version}" if self.version else self.url


class CheckIn(models.Model):
    """A set of questions sent to a client through one private link."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="checkins")
    instrument = models.ForeignKey(StoredInstrument, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "care.TherapySession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checkins",
    )
    link = models.OneToOneField(
        "clients.ClientLink", on_delete=models.PROTECT, related_name="checkin"
    )
    # Goals in the client's own words, rated on the same page after the main questions.
    goal_texts = EncryptedJSONField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    # Set once the expired check-in was closed (its saved draft deleted, the trail told), by
    # the expiry task; a second run finds it set and does nothing.
    expiry_handled_at = models.DateTimeField(null=True, blank=True)
    # Set when the check-in was issued by a schedule: which one, and for which due date.
    schedule = models.ForeignKey(
        "CheckInSchedule",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checkins",
    )
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["client", "sent_at"], name="checkin_by_client")]
        constraints = [
            # A schedule issues at most one check-in per due date, however often (or however
            # many at once) the sending command runs.
            models.UniqueConstraint(
                fields=["schedule", "due_on"], name="one_checkin_per_schedule_due_date"
            ),
            models.CheckConstraint(
                condition=Q(schedule__isnull=True, due_on__isnull=True)
                | Q(schedule__isnull=False, due_on__isnull=False),
                name="scheduled_checkin_has_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk} for client {self.client_id}"

    def _invitation_by(self, channel: str) -> MessageDelivery | None:
        return next(
            (
                delivery
                for delivery in self.deliveries.all()
                if delivery.channel == channel and delivery.purpose == "invitation"
            ),
            None,
        )

    @property
    def text_delivery(self) -> MessageDelivery | None:
        """The text that carried the invitation, if one was due (``deliveries`` prefetched)."""
        return self._invitation_by("sms")

    @property
    def email_delivery(self) -> MessageDelivery | None:
        """The invitation's email, if one went (``deliveries`` prefetched)."""
        return self._invitation_by("email")

    @property
    def fresh_link_channel(self) -> str | None:
        """The other channel a fresh link can go by after a failed invitation, if any."""
        return other_channel(self)


class ScheduleState(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    STOPPED = "stopped", "Stopped"


MAX_INTERVAL_WEEKS = 52


class CheckInSchedule(models.Model):
    """A measure sent to one client every ``interval_weeks`` weeks, besides session check-ins.

    ``next_due_on`` is the date of the next check-in to issue; the sending command moves it on
    when it issues one.  A stopped schedule is kept (its check-ins point to it) but never sends.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="checkin_schedules"
    )
    instrument = models.ForeignKey(StoredInstrument, on_delete=models.PROTECT, related_name="+")
    # Goals in the client's own words, rated on the same page as the measure.
    goal_texts = EncryptedJSONField(blank=True)
    interval_weeks = models.PositiveSmallIntegerField()
    next_due_on = models.DateField()
    state = models.CharField(
        max_length=10, choices=ScheduleState.choices, default=ScheduleState.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["next_due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=1, interval_weeks__lte=MAX_INTERVAL_WEEKS),
                name="schedule_interval_in_range",
            ),
            models.UniqueConstraint(
                fields=["client", "instrument"],
                condition=~Q(state="stopped"),
                name="one_live_schedule_per_client_instrument",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_due_on"], name="schedule_due")]

    def __str__(self) -> str:
        return f"schedule {self.pk} for client {self.client_id} every {self.interval_weeks} weeks"


class CheckInDraft(models.Model):
    """The answers a client saved so far on a long check-in, before the final submit.

    Bound to the check-in (so to its one link), encrypted, and deleted in the transaction that
    stores the response: a draft is never a response.  ``version`` grows with each save, so a
    second tab that saves an older page is told instead of silently overwriting.
    """

    checkin = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="draft")
    # The form's fields as sent (name -> value or list of values), in the client's words.
    data = EncryptedJSONField(blank=True)
    page = models.PositiveSmallIntegerField(default=1)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"draft of check-in {self.checkin_id} at page {self.page}"


class Response(models.Model):
    """A client's answers to one instrument of a check-in, scored when stored.

    At most one per check-in and instrument: together with the link's single use this means a
    double click, a retry or two simultaneous submissions store exactly one response.
    """

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="responses")
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="measure_responses"
    )
    instrument = models.ForeignKey(StoredInstrument, on_delete=models.PROTECT, related_name="+")
    # Answers keyed by linkId, including the client's comment: encrypted, in their words.
    answers = EncryptedJSONField(blank=True)
    total = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=100, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    items_answered = models.PositiveIntegerField(default=0)
    items_missing = models.PositiveIntegerField(default=0)
    safety_items = models.JSONField(default=list, blank=True)
    # Why the engine could not compute the total with certainty; the total is then empty.
    score_problem = models.CharField(max_length=300, blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "instrument"], name="one_response_per_checkin_instrument"
            )
        ]
        indexes = [
            models.Index(fields=["client", "instrument", "submitted_at"], name="response_trend")
        ]

    def __str__(self) -> str:
        return f"response {self.pk} to {self.instrument_id}"

    @staticmethod
    def scored_fields(result: ScoreResult) -> dict[str, object]:
        """Return the fields of a response that hold the scoring of its answers."""
        return {
            "total": result.total,
            "band": result.band or "",
            "subscales": dict(result.subscales),
            "items_answered": result.items_answered,
            "items_missing": result.items_missing,
            "safety_items": list(result.safety_items),
            "score_problem": (result.could_not_score or "")[:300],
        }

    @property
    def could_not_score(self) -> bool:
        return bool(self.score_problem)


class SignalKind(models.TextChoices):
    SAFETY = "safety", "Safety"
    RUPTURE = "rupture", "Possible rupture"


class SignalState(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class Signal(models.Model):
    """An alert for the therapist raised by a check-in: a safety item, or a possible rupture.

    One per check-in response and kind: a low check-in raises one rupture alert that lists all
    its reasons (``reasons``), and a safety answer one safety alert beside it.
    """

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="signals")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="signals")
    kind = models.CharField(max_length=10, choices=SignalKind.choices)
    # Not a column: the client's comment, which the client page's query sets when it may show it.
    comment: str
    # The first reason (``signals_rules.Reason``): the one the conversation prompt is chosen for.
    rule = models.CharField(max_length=40)
    # Every reason's sentence, in order.
    summary = models.CharField(max_length=1000)
    # Each reason in order: {"rule": a ``signals_rules.Reason`` value, "summary": its sentence}.
    reasons = models.JSONField(default=list, blank=True)
    # What triggered it, by reason: the values and thresholds compared (no free text of the
    # client's).
    facts = models.JSONField(default=dict)
    state = models.CharField(max_length=14, choices=SignalState.choices, default=SignalState.OPEN)
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "kind"], name="one_alert_per_response_kind"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "acknowledged"]) | Q(closed_at__isnull=False),
                name="closed_signal_has_time",
            ),
        ]
        indexes = [models.Index(fields=["client", "state"], name="signal_by_client_state")]

    def __str__(self) -> str:
        return f"{self.kind} signal {self.pk} ({self.rule}, {self.state})"

    @property
    def is_safety(self) -> bool:
        return self.kind == SignalKind.SAFETY

    @property
    def reason_rows(self) -> list[dict[str, str]]:
        """Each reason as people read it: its label and its sentence."""
        reasons = self.reasons or [{"rule": self.rule, "summary": self.summary}]
        return [
            {
                "rule": str(reason.get("rule", "")),
                "label": reason_label(str(reason.get("rule", ""))),
                "summary": str(reason.get("summary", "")),
            }
            for reason in reasons
        ]

    @property
    def reason_labels(self) -> str:
        """The reasons' labels in one line: "Below the low check-in threshold; Lower than…"."""
        return "; ".join(row["label"] for row in self.reason_rows)


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    UNDELIVERED = "undelivered", "Not delivered"
    FAILED = "failed", "Failed"
    OPTED_OUT = "opted_out", "Opted out of texts"


# How far each state is along the way: a state only ever moves to a higher rank, so a "sent"
# that arrives after "delivered" changes nothing.  The last four are final.
DELIVERY_RANK: dict[str, int] = {
    DeliveryState.PENDING: 0,
    DeliveryState.QUEUED: 1,
    DeliveryState.SENT: 2,
    DeliveryState.DELIVERED: 3,
    DeliveryState.UNDELIVERED: 3,
    DeliveryState.FAILED: 3,
    DeliveryState.OPTED_OUT: 3,
}


class MessageDelivery(models.Model):
    """One text message of a check-in (its invitation or its reminder) and what became of it.

    ``body`` holds the words (with the link) only while the message waits to be sent (quiet
    hours, a retry): encrypted, and emptied once the provider accepts it or it is given up.
    ``provider_sid`` is the provider's id for the message, stored in the transaction that sent
    it; a retry that finds it set sends nothing.
    """

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, default="sms")
    purpose = models.CharField(max_length=12, default="invitation")
    provider_sid = models.CharField(max_length=64, unique=True, null=True, blank=True)
    state = models.CharField(
        max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    error_code = models.CharField(max_length=12, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    body = EncryptedTextField(blank=True)
    # Where the provider reports the message's progress (the status webhook's public address).
    callback_url = models.CharField(max_length=300, blank=True)
    # When a try ended without an answer although the provider may have taken the message
    # (a read timeout): every later try first looks the message up at the provider.
    unsure_since = models.DateTimeField(null=True, blank=True)
    # A bounce that came back by mail (email): its reason in the bounce's own words, cut short.
    bounce_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "channel", "purpose"], name="one_delivery_per_checkin_message"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.purpose} of check-in {self.checkin_id}: {self.state}"

    @property
    def failed(self) -> bool:
        return self.state in (DeliveryState.UNDELIVERED, DeliveryState.FAILED)

    @property
    def words(self) -> str:
        """What the therapist reads: "delivered", "not delivered (reason)", "opted out of
        texts" or, while it is on its way or waiting, "not answered yet"."""
        if self.state == DeliveryState.DELIVERED:
            return "delivered"
        if self.state == DeliveryState.OPTED_OUT:
            return "opted out of texts"
        if self.failed:
            return f"not delivered ({delivery_reason(self.error_code, self.attempts)})"
        return "not answered yet"


# The provider's error codes a therapist may meet, in words (Twilio's numbering; unknown codes
# are shown as the code itself).
NO_PROVIDER = "no provider"
UNSURE = "unsure"
DELIVERY_REASONS = {
    NO_PROVIDER: "no text-message provider is set up",
    UNSURE: "the provider never confirmed whether it took the message",
    "21211": "the number is not valid",
    "21408": "texts to that country are not enabled",
    "21610": "the number has unsubscribed from our texts",
    "21612": "the number cannot receive texts from us",
    "21614": "the number is not a mobile number",
    "30003": "the phone was unreachable or off",
    "30004": "the message was blocked",
    "30005": "the number is unknown or no longer in use",
    "30006": "the number is a landline or its carrier cannot be reached",
    "30007": "the carrier filtered the message",
    "30008": "the provider gave an unknown error",
    "30034": "our sending number is not registered with the carriers",
}


# A bounce's status code (RFC 3463, "class.subject.detail"), in words: the most exact first.
BOUNCE_REASONS = {
    "5.1.1": "the email address does not exist",
    "5.1.2": "the email address's domain does not exist",
    "5.1.10": "the email address does not exist",
    "5.2.1": "the mailbox is disabled",
    "5.2.2": "the mailbox is full",
    "4.2.2": "the mailbox is full",
    "5.4.4": "the email address's domain does not take mail",
    "5.7.1": "the receiving server refused it as unwanted",
    "5.7": "the receiving server refused it as unwanted",
    "5.2": "the mailbox cannot take mail",
    "5.1": "the email address is wrong",
    "5": "the receiving server refused it",
    "4": "the receiving server could not take it for days",
}


def bounce_words(status: str) -> str:
    """Return a bounce's status code ("5.1.1") in words, the nearest known code's."""
    parts = (status or "").split(".")
    for size in (3, 2, 1):
        key = ".".join(parts[:size])
        if key in BOUNCE_REASONS:
            return BOUNCE_REASONS[key]
    return "the email came back undelivered"


def delivery_reason(error_code: str, attempts: int = 0) -> str:
    """Return why a message did not arrive, in words (no code a therapist has to look up)."""
    if error_code in DELIVERY_REASONS:
        return DELIVERY_REASONS[error_code]
    if error_code.startswith("DSN "):
        return bounce_words(error_code.removeprefix("DSN "))
    if error_code.startswith("SMTP 5"):
        return "the mail server refused the address"
    if error_code.startswith("SMTP 4"):
        return "the mail server could not take it then"
    if error_code.startswith("3"):
        return "the carrier could not deliver it"
    if error_code:
        return "the provider could not deliver it"
    if attempts > 1:
        return "the provider could not be reached after several tries"
    return "no reason given"


class ExpectedResponseFit(models.Model):
    """One fit of the expected-response model on the agency's history (docs/expected-response.md).

    Versioned: every fit is a new row and the latest version is the one in use.  It keeps only
    sample sizes and quantiles of change, never a client, a score of one person or a therapist.
    """

    version = models.PositiveIntegerField(unique=True)
    fitted_at = models.DateTimeField()
    model = models.CharField(max_length=60)
    # {"phq9": {"clients": n, "scores": n, "fitted_bands": n}, …}
    sample_sizes = models.JSONField(default=dict)
    # {"instruments": {"phq9": InstrumentFit.as_json(), …}}
    parameters = models.JSONField(default=dict)
    seconds = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"expected-response fit {self.version} ({self.fitted_at:%Y-%m-%d %H:%M})"
