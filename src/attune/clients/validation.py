"""Checks for names and other words clients and staff type: any script, no control characters."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

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
            f"{label} can be at most {max_length} characters (this one has {len(value)})."
        )
    if any(unicodedata.category(ch) in {"Cc", "Cs", "Co", "Cn"} for ch in value):
        raise ValidationError(
            f"{label} contains a character that cannot be stored; please retype it."
        )
    return value
