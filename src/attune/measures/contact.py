"""How a client can be reached for a check-in: the channels they consented to, and the language.

Shared by the invitations and the text-message delivery below them.
"""

from __future__ import annotations

from django.conf import settings

from attune.clients.models import Client, ContactConsent

EMAIL_CONSENT = {ContactConsent.EMAIL, ContactConsent.BOTH}
SMS_CONSENT = {ContactConsent.SMS, ContactConsent.BOTH}


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
