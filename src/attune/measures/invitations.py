"""Delivering check-in invitations and reminders to the client, by email and text.

Invitations run in-process once the transaction commits rather than through the task queue:
the message carries the link's token, and a queue would store that token in its table, where
only the token's hash may ever be kept.

The message says only that the agency invites the client's feedback, with the link: no health
information, no therapist's name, nothing about sessions.
"""

from __future__ import annotations

import logging
from datetime import datetime
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape, urlize
from django.utils.translation import gettext as _

from attune.clients.language import agency_name
from attune.clients.models import Client
from attune.measures.contact import invitation_channels, invitation_language
from attune.measures.delivery import email_send, sms_queue
from attune.measures.sms import sms_backend

logger = logging.getLogger(__name__)


def _contact_lines() -> str:
    """Return the end of an email: how to reach the agency, and what to do in a crisis."""
    lines = ""
    if settings.ATTUNE_AGENCY_CONTACT:
        lines += "\n\n" + _("To reach %(agency)s: %(contact)s") % {
            "agency": agency_name(),
            "contact": settings.ATTUNE_AGENCY_CONTACT,
        }
    lines += "\n\n" + _(
        "If you are in danger or thinking of harming yourself, call your local emergency "
        "number now."
    )
    if settings.ATTUNE_CRISIS_CONTACT:
        lines += " " + _("You can also call:") + " " + settings.ATTUNE_CRISIS_CONTACT
    return lines


def client_email(*, subject: str, body: str, to: str, language: str) -> EmailMultiAlternatives:
    """Return a message to a client: plain text and the same words as HTML, from the agency.

    The sender's name is the agency's; ``List-Unsubscribe`` names ``ATTUNE_EMAIL_UNSUBSCRIBE``
    when the agency set one.
    """
    sender = formataddr((agency_name(), settings.DEFAULT_FROM_EMAIL))
    headers = {}
    if settings.ATTUNE_EMAIL_UNSUBSCRIBE:
        headers["List-Unsubscribe"] = f"<mailto:{settings.ATTUNE_EMAIL_UNSUBSCRIBE}>"
    message = EmailMultiAlternatives(subject, body, sender, [to], headers=headers)
    direction = "rtl" if language in settings.LANGUAGES_BIDI else "ltr"
    paragraphs = "".join(
        f"<p>{urlize(escape(part)).replace(chr(10), '<br>')}</p>" for part in body.split("\n\n")
    )
    message.attach_alternative(
        f'<!doctype html><html lang="{language}" dir="{direction}"><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title></head><body>{paragraphs}</body></html>",
        "text/html",
    )
    return message


def _email(checkin_id: int | None, message: EmailMultiAlternatives, purpose: str) -> bool:
    if checkin_id is None:
        message.send()
        return True
    return email_send(checkin_id=checkin_id, message=message, purpose=purpose)


def deliver_invitation(
    *,
    client_id: int,
    url: str,
    expires_at: datetime,
    checkin_id: int | None = None,
    only: str | None = None,
) -> list[str]:
    """Send the client the check-in link by every channel they consented to; return them.

    With ``checkin_id`` the text goes through the check-in's delivery record (sent once,
    tried again by the worker, held in quiet hours, its progress reported by the provider).
    ``only`` ("email" or "sms") keeps to that channel (a fresh link by the other channel).
    """
    client = Client.objects.get(pk=client_id)
    channels = [c for c in invitation_channels(client) if only is None or c == only]
    with translation.override(invitation_language(client)):
        subject = _("%(agency)s invites your feedback") % {"agency": agency_name()}
        body = _(
            "Hello,\n\n%(agency)s would like to hear from you. Please answer through this "
            "private link:\n\n%(url)s\n\nYou can open it again until %(date)s, or until you send "
            "your answers. You can skip any question. If you did not expect this message, you "
            "can ignore it."
        ) % {"agency": agency_name(), "url": url, "date": date_format(expires_at, "DATE_FORMAT")}
        body += _contact_lines()
        short = _("%(agency)s invites your feedback: %(url)s") % {
            "agency": agency_name(),
            "url": url,
        }
        email = client_email(
            subject=subject, body=body, to=client.email, language=translation.get_language()
        )
    delivered = []
    if "email" in channels:
        try:
            if _email(checkin_id, email, "invitation"):
                delivered.append("email")
        except Exception:  # the link is still shown to the therapist to hand over
            logger.exception("check-in email to client %s failed", client_id)
    if "sms" in channels:
        try:
            if checkin_id is None:
                sms_backend().send(to=client.phone, body=short)
                delivered.append("sms")
            elif _text_checkin(checkin_id, short, "invitation", url) != "failed":
                delivered.append("sms")
        except Exception:
            logger.exception("check-in text message to client %s failed", client_id)
    return delivered


def _text_checkin(checkin_id: int, body: str, purpose: str, url: str = "") -> str:
    base_url = url.split("/c/")[0] if "/c/" in url else ""
    return sms_queue(checkin_id=checkin_id, body=body, purpose=purpose, base_url=base_url)


def deliver_reminder(client_id: int, checkin_id: int | None = None) -> list[str]:
    """Remind the client, by the channels they consented to, that a feedback request waits."""
    client = Client.objects.get(pk=client_id)
    channels = invitation_channels(client)
    with translation.override(invitation_language(client)):
        subject = _("%(agency)s invites your feedback") % {"agency": agency_name()}
        body = _(
            "Hello,\n\n%(agency)s sent you a private link a few days ago and would still like "
            "to hear from you. Please look for that earlier message. If you did not expect "
            "this message, you can ignore it."
        ) % {"agency": agency_name()}
        body += _contact_lines()
        email = client_email(
            subject=subject, body=body, to=client.email, language=translation.get_language()
        )
    delivered = []
    if "email" in channels:
        try:
            if _email(checkin_id, email, "reminder"):
                delivered.append("email")
        except Exception:
            logger.exception("check-in reminder email to client %s failed", client_id)
    if "sms" in channels:
        try:
            text = body.replace("\n\n", " ")
            if checkin_id is None:
                sms_backend().send(to=client.phone, body=text)
                delivered.append("sms")
            elif _text_checkin(checkin_id, text, "reminder") != "failed":
                delivered.append("sms")
        except Exception:
            logger.exception("check-in reminder text to client %s failed", client_id)
    return delivered
