"""Which time zone a client lives in, for the hours at which a text may reach them.

A client's own ``time_zone`` when staff recorded one; otherwise the zone of their phone number
when the number belongs to exactly one (a Madrid number, a New York area code); otherwise the
agency's ``TIME_ZONE``.  Country codes that span zones (most of the US by country code alone,
Canada, Brazil) give several zones and so fall back to the agency's.
"""

from __future__ import annotations

import zoneinfo
from functools import cache
from zoneinfo import ZoneInfo

import phonenumbers
from django.conf import settings
from phonenumbers import timezone as number_zones

UNKNOWN = "Etc/Unknown"


@cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def known_time_zone(name: str) -> str | None:
    """Return the IANA spelling of ``name`` ("america/chicago" gives "America/Chicago"), or None."""
    return _zones_by_lower_name().get(name.strip().lower())


def phone_time_zone(phone: str) -> str | None:
    """Return the one zone ``phone`` belongs to, or None when it has none, several or is unknown."""
    if not phone:
        return None
    try:
        number = phonenumbers.parse(phone, settings.ATTUNE_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    zones = [zone for zone in number_zones.time_zones_for_number(number) if zone != UNKNOWN]
    if len(zones) != 1:
        return None
    return known_time_zone(zones[0])


def client_time_zone(client) -> ZoneInfo:
    """Return the zone to read quiet hours in for ``client`` (see the module's docstring)."""
    name = (
        known_time_zone(client.time_zone or "")
        or phone_time_zone(client.phone or "")
        or settings.TIME_ZONE
    )
    return ZoneInfo(name)
