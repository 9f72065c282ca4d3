"""Text messages of check-ins: sending once, retrying, quiet hours, the provider's reports, STOP.

Services (they write).  A check-in's text goes through a ``MessageDelivery`` row:

* ``sms_queue`` creates it (state "pending", the words encrypted in ``body``) and tries it at
  once; ``sms_attempt`` is that try, run again by the task worker (``tasks.send_text``, queued
  with the delivery's id alone) after quiet hours or a passing failure.
* An attempt locks the row, sends nothing when the provider's id is already stored (so a retry,
  or a task run twice, never sends a second text), and stores the id in the same transaction
  as the send; ``body`` is emptied once the provider took the message or it was given up.
* ``sms_status_record`` records the provider's reports: states only move forward.
* ``sms_inbound`` acts on the client's own texts: STOP and its like stop every later text,
  START turns them back on, HELP is answered with the agency's name and contact.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction
from attune.clients.language import agency_name
from attune.clients.models import Client, ContactConsent
from attune.clients.phone_index import phone_indexes
from attune.clients.time_zones import client_time_zone
from attune.measures.bounces import with_return_path
from attune.measures.contact import invitation_language
from attune.measures.models import (
    DELIVERY_RANK,
    NO_PROVIDER,
    UNSURE,
    DeliveryState,
    MessageDelivery,
)
from attune.measures.sms import (
    SmsRefused,
    SmsTransientError,
    SmsUnsure,
    e164,
    quiet_until,
    sms_backend,
)

logger = logging.getLogger(__name__)

SMS_CONSENT = {ContactConsent.SMS, ContactConsent.BOTH}

# The carriers' keywords, and their Spanish equivalents.
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
STOP_WORDS |= {"ALTO", "PARAR", "CANCELAR"}
START_WORDS = {"START", "UNSTOP", "COMENZAR"}
HELP_WORDS = {"HELP", "AYUDA", "INFO"}

# The provider's words for a message's progress, as our states.
PROVIDER_STATES = {
    "accepted": DeliveryState.QUEUED,
    "scheduled": DeliveryState.QUEUED,
    "queued": DeliveryState.QUEUED,
    "sending": DeliveryState.SENT,
    "sent": DeliveryState.SENT,
    "delivered": DeliveryState.DELIVERED,
    "read": DeliveryState.DELIVERED,
    "undelivered": DeliveryState.UNDELIVERED,
    "failed": DeliveryState.FAILED,
    "canceled": DeliveryState.FAILED,
}


def sms_consented(client: Client) -> bool:
    """Whether the client agreed to texts and has a number (whatever STOP said since)."""
    return client.contact_consent in SMS_CONSENT and bool(client.phone)


def sms_opted_out(client: Client) -> bool:
    return client.sms_opted_out_at is not None


def sms_allowed(client: Client) -> bool:
    """Whether a text may go to the client now: consent, a number, and no STOP since."""
    return sms_consented(client) and not sms_opted_out(client)


def status_callback_url(base_url: str) -> str:
    """Return the status webhook's public address under ``base_url``."""
    from django.urls import reverse

    root = (settings.ATTUNE_BASE_URL or base_url).rstrip("/")
    return root + reverse("measures:sms_status") if root else ""


def sms_refused_for_opt_out(*, checkin_id: int, purpose: str = "invitation") -> None:
    """Record that the check-in's text was not sent because the client opted out of texts."""
    MessageDelivery.objects.get_or_create(
        checkin_id=checkin_id,
        channel="sms",
        purpose=purpose,
        defaults={"state": DeliveryState.OPTED_OUT},
    )


def sms_queue(*, checkin_id: int, body: str, purpose: str, base_url: str = "") -> str:
    """Create the check-in's text (once per purpose) and try to send it now; return the outcome.

    A second call for the same check-in and purpose finds the first and tries that one, which
    sends nothing when it already went.
    """
    delivery, _created = MessageDelivery.objects.get_or_create(
        checkin_id=checkin_id,
        channel="sms",
        purpose=purpose,
        defaults={"body": body, "callback_url": status_callback_url(base_url)},
    )
    return sms_attempt(delivery_id=delivery.pk)


def _schedule(delivery_id: int, run_after: datetime) -> None:
    from attune.measures.tasks import send_text

    send_text.using(run_after=run_after).enqueue(delivery_id)


def retry_delay(attempts: int) -> timedelta:
    """Wait ``ATTUNE_SMS_RETRY_SECONDS`` after the first failure, doubling after each next."""
    return timedelta(seconds=settings.ATTUNE_SMS_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def _trail_delivery(delivery: MessageDelivery, client_id: int, what: str) -> None:
    trail.record(
        actor=Actor.system(),
        action=TrailAction.UPDATE,
        client_id=client_id,
        object_type="checkin",
        object_ref=delivery.checkin_id,
        section="measures",
        detail=f"text {delivery.purpose}: {what}",
    )


@transaction.atomic
def sms_attempt(*, delivery_id: int, now: datetime | None = None) -> str:
    """Try to send one waiting text; return what happened.

    "nothing" (gone, already sent or given up), "opted_out", "deferred" (quiet hours),
    "retry" (a passing failure: the worker tries again later), "failed" or "sent".
    """
    now = now or timezone.now()
    delivery = (
        MessageDelivery.objects.select_for_update()
        .select_related("checkin__client")
        .filter(pk=delivery_id)
        .first()
    )
    if (
        delivery is None
        or delivery.provider_sid
        or delivery.state != DeliveryState.PENDING
        or not delivery.body
    ):
        return "nothing"
    client = delivery.checkin.client
    if not sms_allowed(client):
        delivery.state = DeliveryState.OPTED_OUT if sms_opted_out(client) else DeliveryState.FAILED
        delivery.body = ""
        delivery.save(update_fields=["state", "body", "updated_at"])
        _trail_delivery(delivery, client.pk, f"not sent ({delivery.state})")
        return "opted_out" if delivery.state == DeliveryState.OPTED_OUT else "failed"
    until = quiet_until(now, client_time_zone(client))
    if until is not None:
        _schedule(delivery.pk, until)
        return "deferred"
    backend = sms_backend()
    if delivery.unsure_since is not None:
        # An earlier try may have reached the provider: look before sending again.
        try:
            found = backend.find(to=client.phone, body=delivery.body, since=delivery.unsure_since)
        except SmsTransientError as exc:
            delivery.attempts += 1
            return _try_later(delivery, client.pk, now, exc, lookup=True)
        if found:
            delivery.provider_sid = found
            delivery.state, delivery.body, delivery.error_code = DeliveryState.QUEUED, "", ""
            delivery.save()
            _trail_delivery(delivery, client.pk, "found at the provider after an unanswered try")
            return "found"
        if delivery.attempts >= settings.ATTUNE_SMS_MAX_ATTEMPTS:
            # Not there, and no tries left: it never went.
            delivery.state, delivery.body, delivery.error_code = DeliveryState.FAILED, "", ""
            delivery.save()
            _trail_delivery(delivery, client.pk, f"given up after {delivery.attempts} tries")
            return "failed"
    delivery.attempts += 1
    try:
        sid = backend.send(
            to=client.phone, body=delivery.body, status_callback=delivery.callback_url
        )
    except SmsTransientError as exc:
        if isinstance(exc, SmsUnsure) and delivery.unsure_since is None:
            delivery.unsure_since = now
        return _try_later(delivery, client.pk, now, exc)
    except SmsRefused as exc:
        delivery.state, delivery.body, delivery.error_code = DeliveryState.FAILED, "", exc.code
        delivery.save()
        _trail_delivery(delivery, client.pk, f"refused by the provider ({exc.code or 'no code'})")
        return "failed"
    except Exception:
        # A backend that is not set up right, or a bug: given up, told in the log (no words).
        logger.exception("text of check-in %s could not be sent", delivery.checkin_id)
        delivery.state, delivery.body = DeliveryState.FAILED, ""
        delivery.save()
        _trail_delivery(delivery, client.pk, "could not be sent")
        return "failed"
    if not backend.sends:  # only noted in the log: say so rather than "on its way"
        delivery.state, delivery.body, delivery.error_code = DeliveryState.FAILED, "", NO_PROVIDER
        delivery.save()
        return "failed"
    delivery.provider_sid = sid or None
    delivery.state, delivery.body, delivery.error_code = DeliveryState.QUEUED, "", ""
    delivery.save()
    return "sent"


# After the last try ended unanswered, this many more tries look for the message (and send
# nothing): a message the provider took is found rather than given up as lost.
LOOKUPS_AFTER_LAST_TRY = 3


def _try_later(
    delivery: MessageDelivery, client_id: int, now: datetime, exc: Exception, lookup=False
) -> str:
    """Queue the next try of a text after a passing failure, or give it up after the last."""
    delivery.error_code = getattr(exc, "code", "")[:12]
    limit = settings.ATTUNE_SMS_MAX_ATTEMPTS
    if delivery.unsure_since is not None:
        limit += LOOKUPS_AFTER_LAST_TRY  # the last tries only look, they never send
    if delivery.attempts >= limit:
        delivery.state, delivery.body = DeliveryState.FAILED, ""
        if delivery.unsure_since is not None:
            delivery.error_code = UNSURE
        delivery.save()
        _trail_delivery(delivery, client_id, f"given up after {delivery.attempts} tries")
        return "failed"
    delivery.save()
    _schedule(delivery.pk, now + retry_delay(delivery.attempts))
    logger.warning(
        "text of check-in %s %s (%s); try %d of %d queued",
        delivery.checkin_id,
        "not found nor ruled out at the provider" if lookup else "not taken",
        type(exc).__name__,
        delivery.attempts,
        settings.ATTUNE_SMS_MAX_ATTEMPTS,
    )
    return "unsure" if delivery.unsure_since is not None else "retry"


@transaction.atomic
def sms_status_record(*, sid: str, status: str, error_code: str = "") -> bool:
    """Record the provider's report on message ``sid``; return whether it changed anything.

    An unknown message or an unknown status changes nothing; a state never moves back
    ("sent" after "delivered" is ignored); the same report twice changes nothing the second time.
    """
    new = PROVIDER_STATES.get((status or "").strip().lower())
    if not sid or new is None:
        return False
    delivery = (
        MessageDelivery.objects.select_for_update()
        .select_related("checkin")
        .filter(provider_sid=sid)
        .first()
    )
    if delivery is None or DELIVERY_RANK[new] <= DELIVERY_RANK[delivery.state]:
        return False
    delivery.state = new
    delivery.error_code = re.sub(r"[^0-9A-Za-z]", "", error_code or "")[:12]
    delivery.save(update_fields=["state", "error_code", "updated_at"])
    if DELIVERY_RANK[new] == 3:
        code = f" ({delivery.error_code})" if delivery.error_code else ""
        _trail_delivery(delivery, delivery.checkin.client_id, f"{new}{code}")
    return True


def email_send(*, checkin_id: int, message, purpose: str) -> bool:
    """Send the check-in's email once and record whether the mail server took it.

    An SMTP refusal (a 4xx or 5xx answer to the sender, a recipient or the message) is
    recorded as "not delivered" with its code; a server that cannot be reached, as "failed"
    with no code.  Return whether the server took it.  Bounces that come back later by mail
    are read by ``attune email bounces`` (measures.bounces), through the return path set here.
    """
    import smtplib

    delivery, created = MessageDelivery.objects.get_or_create(
        checkin_id=checkin_id, channel="email", purpose=purpose
    )
    if not created and delivery.state != DeliveryState.PENDING:
        return False  # sent (or refused) before: never a second email

    with_return_path(message, delivery.pk)  # bounces come back naming this delivery
    delivery.attempts += 1
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        delivery.state, delivery.error_code = DeliveryState.UNDELIVERED, f"SMTP {codes[0]}"
    except smtplib.SMTPResponseException as exc:
        delivery.state, delivery.error_code = DeliveryState.UNDELIVERED, f"SMTP {exc.smtp_code}"
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("email of check-in %s not sent (%s)", checkin_id, type(exc).__name__)
        delivery.state, delivery.error_code = DeliveryState.FAILED, ""
    else:
        delivery.state = DeliveryState.SENT
        delivery.save()
        return True
    delivery.save()
    trail.record(
        actor=Actor.system(),
        action=TrailAction.UPDATE,
        client_id=delivery.checkin.client_id,
        object_type="checkin",
        object_ref=checkin_id,
        section="measures",
        detail=f"email {purpose}: not sent ({delivery.error_code or 'no connection'})",
    )
    return False


def clients_with_number(number: str) -> list[Client]:
    """Return the clients whose phone is ``number``, both read in E.164.

    Found through the blind index (``clients.phone_index``, under every key while one is being
    rotated): only the few clients it names are decrypted, to confirm.  Nothing is found for an
    impossible number.
    """
    wanted = e164(number)
    indexes = phone_indexes(number)
    if not wanted or not indexes:
        return []
    return [
        client
        for client in Client.objects.filter(phone_index__in=indexes).only(
            "pk", "phone", "phone_index", "sms_opted_out_at", "page_language", "preferred_language"
        )
        if e164(client.phone) == wanted
    ]


def keyword_of(text: str) -> str:
    """Return the message as one upper-case keyword: "Stop." -> "STOP"."""
    return re.sub(r"[^\w]", "", (text or "").strip(), flags=re.UNICODE).upper()


@transaction.atomic
def sms_inbound(*, from_number: str, text: str, now: datetime | None = None) -> str:
    """Act on a client's text and return the reply to send ('' for none).

    STOP (and its like, in English and Spanish) records the opt-out with its time and source on
    every client with that number; START undoes it; HELP answers with the agency's name and
    contact in the client's language.  Unknown numbers and other words change nothing.
    """
    now = now or timezone.now()
    word = keyword_of(text)
    if word not in STOP_WORDS | START_WORDS | HELP_WORDS:
        return ""
    clients = clients_with_number(from_number)
    if not clients:
        return ""
    if word in HELP_WORDS:
        with translation.override(invitation_language(clients[0])):
            reply = _("%(agency)s: we send you private links to share feedback.") % {
                "agency": agency_name()
            }
            if settings.ATTUNE_AGENCY_CONTACT:
                reply += " " + _("To reach us: %(contact)s.") % {
                    "contact": settings.ATTUNE_AGENCY_CONTACT
                }
            reply += " " + _("Reply STOP to stop texts.")
        return reply
    for client in clients:
        if word in STOP_WORDS and client.sms_opted_out_at is None:
            client.sms_opted_out_at, client.sms_opt_out_source = now, f"client texted {word}"
            what = f"opted out of texts (client texted {word})"
        elif word in START_WORDS and client.sms_opted_out_at is not None:
            client.sms_opted_out_at, client.sms_opt_out_source = None, f"client texted {word}"
            what = f"texts back on (client texted {word})"
        else:
            continue  # already so: a repeated STOP keeps the first time
        client.save(update_fields=["sms_opted_out_at", "sms_opt_out_source", "updated_at"])
        trail.record(
            actor=Actor.system(),
            action=TrailAction.UPDATE,
            client_id=client.pk,
            object_type="client",
            object_ref=client.pk,
            section="contact",
            detail=what,
        )
    return ""
