"""Text messages through a provider: the Twilio backend, phone numbers, quiet hours, signatures.

A backend is one class with ``send(to=, body=, status_callback=)`` returning the provider's id
for the message (or None when nothing is tracked).  It raises ``SmsTransientError`` when the
provider could not take the message for a passing reason (a timeout, 429, 5xx: the task worker
tries again later) and ``SmsRefused`` when it never will (a bad number, an unsubscribed one).
Another provider is another subclass of ``SmsBackend``.

Nothing here logs a number, a text or a credential.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client as TwilioClient

from attune.clients.phone_index import e164

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider did not take the message; ``code`` is its error code when it gave one."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class SmsTransientError(SmsError):
    """Worth trying again later: a timeout, a refused connection, 429 or a 5xx answer."""


class SmsRefused(SmsError):
    """The provider refused the message for good (4xx other than 429)."""


class SmsUnsure(SmsTransientError):
    """The request went out but no answer came back (a read timeout, an answer cut short): the
    provider may have accepted the message.  Before any new try the message is looked up
    (``SmsBackend.find``), so a check-in is never texted twice."""


def quiet_hours() -> tuple[time, time] | None:
    """Return ``ATTUNE_SMS_QUIET_HOURS`` ("21:00-08:00") as two times, or None when empty."""
    raw = (settings.ATTUNE_SMS_QUIET_HOURS or "").strip()
    if not raw:
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in raw.split("-"))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"ATTUNE_SMS_QUIET_HOURS must read like 21:00-08:00, not {raw!r}"
        ) from exc
    return start, end


def quiet_until(now: datetime, zone: ZoneInfo | None = None) -> datetime | None:
    """Return when the quiet hours around ``now`` end, or None when ``now`` is not in them.

    The hours are read in ``zone``, the client's (``clients.time_zones.client_time_zone``),
    or the agency's (``ATTUNE_TIME_ZONE``) when none is given; a span that crosses midnight
    (21:00-08:00) ends on the next morning when it is evening.
    """
    hours = quiet_hours()
    if hours is None:
        return None
    start, end = hours
    zone = zone or ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    clock = local.time()
    if start == end:
        return None
    if start < end:
        inside = start <= clock < end
        end_day = local.date()
    else:
        inside = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=zone)


def public_url(request) -> str:
    """Return the address the provider called, as it signed it.

    ``build_absolute_uri`` takes the scheme from ``X-Forwarded-Proto`` only when the
    installation says it is behind a proxy (``ATTUNE_BEHIND_PROXY``), and the host from the
    Host header that ``ALLOWED_HOSTS`` already checked.  ``ATTUNE_BASE_URL``, when set, wins:
    it is the address the provider was given.
    """
    if settings.ATTUNE_BASE_URL:
        parts = urlsplit(request.get_full_path())
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return settings.ATTUNE_BASE_URL.rstrip("/") + path
    return request.build_absolute_uri()


def signature_valid(request) -> bool:
    """Whether the request carries the provider's valid ``X-Twilio-Signature``."""
    token = settings.ATTUNE_TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    return RequestValidator(token).validate(public_url(request), request.POST, signature)


class SmsBackend:
    """Where text messages go; set ``ATTUNE_SMS_BACKEND`` to a subclass's dotted path.

    ``send`` returns the provider's id for the message when the provider reports on it (its
    status callbacks name that id), else None.
    """

    # False for a backend that only notes the message (the console one): its texts are
    # recorded as not delivered, so nobody takes "not answered yet" for a text that went.
    sends = True

    def send(self, *, to: str, body: str, status_callback: str = "") -> str | None:
        raise NotImplementedError

    def find(self, *, to: str, body: str, since: datetime) -> str | None:
        """Return the provider's id of a message with these words sent to ``to`` since
        ``since``, or None when it has none.  Raise ``SmsTransientError`` when it cannot say."""
        return None


class BaseUrlHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, sending to another API address when one is configured.

    The library builds ``https://api.twilio.com/2010-04-01/…``; with a base URL its scheme and
    host are swapped for the base URL's, the path kept.  Empty: Twilio's own address.
    """

    def __init__(self, *, base_url: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if self.base_url:
            parts = urlsplit(url)
            url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().request(method, url, *args, **kwargs)


def twilio_client() -> TwilioClient:
    """Return a Twilio REST client for the configured account, on the configured API address."""
    sid = settings.ATTUNE_TWILIO_ACCOUNT_SID
    token = settings.ATTUNE_TWILIO_AUTH_TOKEN
    if not sid or not token:
        raise ImproperlyConfigured(
            "The Twilio backend needs ATTUNE_TWILIO_ACCOUNT_SID and ATTUNE_TWILIO_AUTH_TOKEN."
        )
    # The library logs each answer's body (numbers, texts) at INFO: its logger stays quieter.
    quiet = logging.getLogger("attune.measures.sms.provider_http")
    quiet.setLevel(logging.WARNING)
    http = BaseUrlHttpClient(
        base_url=settings.ATTUNE_TWILIO_API_BASE_URL,
        logger=quiet,
        timeout=settings.ATTUNE_SMS_TIMEOUT_SECONDS,
    )
    return TwilioClient(sid, token, http_client=http)


class TwilioSmsBackend(SmsBackend):
    """Send through Twilio's Messages API with the ``twilio`` library.

    Sends from ``ATTUNE_TWILIO_MESSAGING_SERVICE_SID`` when set, else ``ATTUNE_TWILIO_FROM``;
    asks Twilio to report the message's progress to ``status_callback``.
    """

    def send(self, *, to: str, body: str, status_callback: str = "") -> str | None:
        fields: dict[str, str] = {"to": e164(to) or to, "body": body}
        if settings.ATTUNE_TWILIO_MESSAGING_SERVICE_SID:
            fields["messaging_service_sid"] = settings.ATTUNE_TWILIO_MESSAGING_SERVICE_SID
        elif settings.ATTUNE_TWILIO_FROM:
            fields["from_"] = settings.ATTUNE_TWILIO_FROM
        else:
            raise ImproperlyConfigured(
                "The Twilio backend needs ATTUNE_TWILIO_FROM or "
                "ATTUNE_TWILIO_MESSAGING_SERVICE_SID."
            )
        if status_callback:
            fields["status_callback"] = status_callback
        try:
            message = twilio_client().messages.create(**fields)
        except TwilioRestException as exc:
            code = str(exc.code or "")
            if exc.status == 429 or exc.status >= 500:
                raise SmsTransientError(f"provider answered {exc.status}", code) from None
            raise SmsRefused(f"provider refused the message ({exc.status})", code) from None
        except (requests.ConnectTimeout, requests.ConnectionError) as exc:
            # Never reached the provider (ConnectTimeout is also a ConnectionError): no message.
            if isinstance(exc, requests.ConnectionError) and not _after_sending(exc):
                raise SmsTransientError(type(exc).__name__) from None
            raise SmsUnsure(type(exc).__name__) from None
        except requests.RequestException as exc:  # a read timeout, an answer cut short
            raise SmsUnsure(type(exc).__name__) from None
        except TwilioException as exc:  # the library's own (an answer it could not read)
            raise SmsUnsure(type(exc).__name__) from None
        return message.sid

    def find(self, *, to: str, body: str, since: datetime) -> str | None:
        """Look the message up through the Messages list (``To``, ``DateSent>``), matching its
        exact words: each invitation's words carry its own link, so they are its reference.

        A message the provider still holds in its queue has no sent date yet: when the dated
        list has no match, the latest messages to the number are read too (created since).
        """
        number = e164(to) or to
        since = since - timedelta(minutes=5)  # the provider's clock may differ a little
        try:
            messages = twilio_client().messages
            dated = messages.list(to=number, date_sent_after=since, limit=100)
            for message in dated:
                if message.body == body:
                    return message.sid
            for message in messages.list(to=number, limit=100):
                created = message.date_created
                if message.body == body and (created is None or created >= since):
                    return message.sid
        except TwilioRestException as exc:
            raise SmsTransientError(
                f"provider answered {exc.status}", str(exc.code or "")
            ) from None
        except (requests.RequestException, TwilioException) as exc:
            raise SmsTransientError(type(exc).__name__) from None
        return None


def _after_sending(exc: Exception) -> bool:
    """Whether a connection error came after the request was written (the answer was lost)
    rather than before (refused, no route): only then may the provider hold the message."""
    text = repr(exc)
    return any(
        word in text for word in ("RemoteDisconnected", "Connection aborted", "ProtocolError")
    )


# Segments ------------------------------------------------------------------------------------
# GSM 03.38: the basic set (one septet each) and its extension (two: escape and the character).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")


def sms_segments(text: str) -> tuple[str, int, int]:
    """Return how ``text`` travels as SMS: its encoding ("GSM-7" or "UCS-2"), its length in
    that encoding's units, and the number of segments (160/153 septets, or 70/67 UTF-16 units)."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    segments = 1 if units <= single else -(-units // part)
    return encoding, units, segments


class ConsoleSmsBackend(SmsBackend):
    """Note in the log that a text message would be sent (a practice without an SMS provider).

    Only a notice: the number is cut to its last digits and the text, which carries the link,
    is never written.  The therapist still sees the link on the page to hand it over.
    """

    sends = False

    def send(self, *, to: str, body: str, status_callback: str = "") -> str | None:
        logger.warning(
            "SMS to %s: console backend, nothing sent (its %d characters withheld)",
            masked_phone(to),
            len(body),
        )
        return None


def masked_phone(phone: str) -> str:
    """Return ``phone`` with all but its last four digits hidden: ``***0100``."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "***" + digits[-4:] if len(digits) > 4 else "***"


class LocmemSmsBackend(SmsBackend):
    """Keep text messages in ``outbox`` (tests)."""

    outbox: list[dict[str, str]] = []

    def send(self, *, to: str, body: str, status_callback: str = "") -> str | None:
        LocmemSmsBackend.outbox.append({"to": to, "body": body})
        return None


def sms_backend() -> SmsBackend:
    """Return the configured text-message backend."""
    path = settings.ATTUNE_SMS_BACKEND
    return import_string(path)()
