"""Template filters that show people names, not codes: ``{% load names %}``.

- ``{{ tag|language_name }}``: "Spanish" for "es", in the reader's language.
- ``{{ tags|language_names }}``: "Spanish, Arabic" for ["es", "ar"].
- ``{{ codes|case_hint:client_id }}``: " (case ABC-1234)" for a client who shares a chosen name.
- ``{{ moment|when }}``: "4 Dec 2026, 14:05" in the agency's time zone (settings.TIME_ZONE).
- ``{{ key|readable_key }}``: "growth plan" for "growth_plan" (sections of the access trail).
"""

from __future__ import annotations

from django import template
from django.utils import dateformat, timezone

from attune.clients.language_names import language_name as _language_name

register = template.Library()

READABLE_DATETIME = "j M Y, H:i"


@register.filter
def language_name(tag) -> str:
    return _language_name(str(tag) if tag else "")


@register.filter
def language_names(tags) -> str:
    """Return several tags' names joined by commas: "Spanish, Arabic"."""
    return ", ".join(_language_name(str(tag)) for tag in tags or () if str(tag).strip())


@register.filter
def case_hint(codes, client_id) -> str:
    """Return " (case ABC-1234)" when the client shares a chosen name with another, else "".

    ``codes`` maps client ids to case codes for such clients (clients.queries.shared_name_codes).
    """
    code = codes.get(client_id) if isinstance(codes, dict) else None
    return f" (case {code})" if code else ""


@register.filter
def when(moment) -> str:
    """Return a date and time as people write it, in the agency's time zone."""
    if not moment:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return dateformat.format(moment, READABLE_DATETIME)


# Keys whose words need more than spaces for underscores.
KEY_WORDS = {"fhir_export": "FHIR export", "checkin": "check-in", "page_language": "page language"}


@register.filter
def readable_key(key) -> str:
    """Return an internal key ("supervision_feedback") as words ("supervision feedback")."""
    key = str(key or "")
    return KEY_WORDS.get(key, key.replace("_", " ").replace("-", " "))
