"""Checks for names and other words clients and staff type: any script, no control characters."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHOSEN_NAME_MAX = 100
PRONOUNS_MAX = 60
LEGAL_NAME_MAX = 200


# Embedding, override and isolate controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI).  A name never
# needs them: pages isolate every name already, and an unpaired RLO would reverse the text after
# it.  They are taken out; the marks (LRM, RLM, ALM) and joiners (ZWJ, ZWNJ), which names in
# Arabic, Persian or Indic scripts can need, are kept.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
# Zero-width space, word joiner and byte-order mark: meaningless at either end of a name.
EDGE_INVISIBLES = "\u200b\u2060\ufeff"
# A character one can see: a letter, mark, number, punctuation or symbol (not a space, not a
# format or control character).
VISIBLE_CATEGORIES = {"L", "M", "N", "P", "S"}


def strip_bidi_controls(value: str) -> str:
    """Return ``value`` without embedding, override or isolate controls."""
    return value.translate(BIDI_CONTROLS)


def has_visible_character(value: str) -> bool:
    """Return whether ``value`` shows at least one character other than a combining mark."""
    return any(
        unicodedata.category(ch)[0] in VISIBLE_CATEGORIES and unicodedata.category(ch) != "Mn"
        for ch in value
    )


def clean_personal_text(value: str, *, max_length: int, label: str) -> str:
    """Return ``value`` normalised (NFC, trimmed); refuse control characters and overlong text.

    Apostrophes, hyphens, diacritics, every script and single names are all welcome.  Bidi
    embedding and override controls are removed, and text made only of invisible characters
    (zero-width spaces, joiners, marks) is refused.
    """
    value = strip_bidi_controls(unicodedata.normalize("NFC", value or ""))
    value = value.strip().strip(EDGE_INVISIBLES).strip()
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
    if value and not has_visible_character(value):
        # Only invisible characters (U+200B, U+2060, U+FEFF...): the same message, since what
        # was typed cannot be kept as it is.
        raise ValidationError(
            _("%(label)s contains a character that cannot be stored; please retype it.")
            % {"label": label}
        )
    return value
