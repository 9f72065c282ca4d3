"""Finding a client by phone number without decrypting every client: a keyed blind index.

Phones are encrypted at rest, so "who texted STOP from this number?" cannot be asked of the
database directly.  Each client also keeps ``phone_index``: an HMAC-SHA256 of the number in
E.164 (``+15555550142``, read with ``phonenumbers`` in ``ATTUNE_PHONE_REGION`` when it has no
country code, so every national way of writing it gives the same index) under the newest key
of ``ATTUNE_PHONE_INDEX_KEYS``.  A look-up computes the index under every key, so numbers
indexed under an older key are still found until ``phone_index_rebuild`` re-indexes them.

The index reveals only which clients share a number, to someone who also holds the key; it is
not the number.  With ``ATTUNE_PHONE_INDEX_KEYS`` unset, the keys are derived from the field
keys (``ATTUNE_FIELD_KEYS``), so rotating those rotates the index too (``rotate_field_keys``
rebuilds it).
"""

from __future__ import annotations

import hashlib
import hmac

import phonenumbers
from django.conf import settings

LABEL = b"attune phone index v1"


def e164(number: str, region: str | None = None) -> str:
    """Return ``number`` in E.164 (``+15555550100``), read in ``ATTUNE_PHONE_REGION`` when it
    has no country code; '' when it is not a possible number."""
    try:
        parsed = phonenumbers.parse(number or "", region or settings.ATTUNE_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def index_keys() -> list[bytes]:
    """Return the index keys, newest first."""
    keys = [key.strip() for key in settings.ATTUNE_PHONE_INDEX_KEYS if key.strip()]
    if keys:
        return [key.encode() for key in keys]
    return [
        hmac.new(key.strip().encode(), LABEL, hashlib.sha256).digest()
        for key in settings.FIELD_ENCRYPTION_KEYS
        if key.strip()
    ]


def _mac(key: bytes, normalised: str) -> str:
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def phone_index(number: str) -> str:
    """Return the index of ``number`` under the newest key; '' for no or an impossible number."""
    normalised = e164(number)
    if not normalised:
        return ""
    return _mac(index_keys()[0], normalised)


def phone_indexes(number: str) -> list[str]:
    """Return the index of ``number`` under every key (for looking it up during a rotation)."""
    normalised = e164(number)
    if not normalised:
        return []
    return [_mac(key, normalised) for key in index_keys()]


def phone_index_rebuild() -> tuple[int, int]:
    """Re-index every client's phone under the newest key; return (clients read, changed).

    Each phone is decrypted once, here; rows are written only where the index changed, without
    touching ``updated_at``.
    """
    from attune.clients.models import Client

    read = changed = 0
    for client in Client.objects.only("pk", "phone", "phone_index").iterator(chunk_size=500):
        read += 1
        wanted = phone_index(client.phone)
        if wanted != client.phone_index:
            Client.objects.filter(pk=client.pk).update(phone_index=wanted)
            changed += 1
    return read, changed
