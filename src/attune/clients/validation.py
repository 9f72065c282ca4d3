"""Checks for names and other words clients and staff type: any script, no control characters."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHOSEN_NAME_MAX = 100
PRONOUNS_MAX = 60
LEGAL_NAME_MAX = 200


def clean_personal_text(value: str, *, max_length: int, label: str) -> str:
    """Return ``value`` normalised (NFC, trimmed); refuse control characters and overlong text.

    Apostrophes, hyphens, diacritics, every script and single names are all welcome.
    """
    value = unicodedata.normalize("NFC", value or "").strip()
    if len(value) > max_length:
        raise ValidationError(
            _("%(label)s can be at most %(limit)d characters (this has %(length)d).")
            % {"label": label, "limit": max_length, "length": len(value)}
        )
    if any(unicodedata.category(ch) in {"Cc", "Cs", "Co", "Cn"} for ch in value):
        raise ValidationError(
            _("%(label)s contains a character that cannot be stored; please retype it.")
            % {"label": label}
        )
    return value
