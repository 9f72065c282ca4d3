"""How a client can be reached for a check-in: the channels they consented to, and the language.

Shared by the invitations, the text-message delivery and the fresh-link offer below them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from attune.clients.models import Client, ContactConsent

EMAIL_CONSENT = {ContactConsent.EMAIL, ContactConsent.BOTH}
SMS_CONSENT = {ContactConsent.SMS, ContactConsent.BOTH}

if TYPE_CHECKING:
    from attune.measures.models import CheckIn


def invitation_channels(client: Client) -> list[str]:
    """Return how the client agreed to be contacted and can be reached: email, sms, both.

    Texts are left out once the client texted STOP (``sms_opted_out_at``).
    """
    channels = []
    if client.contact_consent in EMAIL_CONSENT and client.email:
        channels.append("email")
    if client.contact_consent in SMS_CONSENT and client.phone and not client.sms_opted_out_at:
        channels.append("sms")
    return channels


def sms_opted_out_only(client: Client) -> bool:
    """Whether texts are left out only because the client texted STOP."""
    return bool(client.contact_consent in SMS_CONSENT and client.phone and client.sms_opted_out_at)


def invitation_language(client: Client) -> str:
    """Return the language of the client's pages, for the message too."""
    supported = dict(settings.CLIENT_LANGUAGES)
    for candidate in (client.page_language, (client.preferred_language or "").split("-")[0]):
        if candidate in supported:
            return candidate
    return settings.LANGUAGE_CODE


def other_channel(checkin: CheckIn) -> str | None:
    """Return the channel a fresh link can go by when the invitation failed: one the client
    agreed to and can be reached by, not yet tried for this check-in; else None."""
    tried = {delivery.channel for delivery in checkin.deliveries.all()}
    failed = {d.channel for d in checkin.deliveries.all() if d.failed or d.state == "opted_out"}
    if not failed:
        return None
    for channel in invitation_channels(checkin.client):
        if channel not in tried:
            return channel
    return None
