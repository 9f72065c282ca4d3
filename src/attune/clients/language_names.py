"""Languages by their names, never by their BCP-47 tags.

A client's preferred language is stored as a tag ("es", "ko", "ase", "zh-Hans") so reports can
count it; people read its name, in the reader's language: "Spanish", "Korean", "American Sign
Language", "Chinese (Simplified)".  Names come from langcodes and its language_data tables
(CLDR and the IANA registry), which name thousands of languages in many languages; a tag they do
not know is shown as written with a plain "(language code)" hint, never as an error.
"""

from __future__ import annotations

from functools import lru_cache

import langcodes
from django.utils import translation

UNKNOWN_HINT = "language code"


def language_name(tag: str | None, reader: str | None = None) -> str:
    """Return the name of the language ``tag`` in the ``reader``'s language (the active one).

    An empty tag gives "", a tag no table knows gives the tag with a "(language code)" hint.
    """
    tag = (tag or "").strip()
    if not tag:
        return ""
    reader = reader or translation.get_language() or "en"
    return _name(tag, reader)


@lru_cache(maxsize=4096)
def _name(tag: str, reader: str) -> str:
    try:
        # normalize=False keeps a tag's own name ("prs" is Dari, not "Persian (Afghanistan)").
        language = langcodes.Language.get(tag, normalize=False)
    except (langcodes.LanguageTagError, ValueError):
        return f"{tag} ({UNKNOWN_HINT})"
    if not language.is_valid() or not language.language or language.language == "und":
        return f"{tag} ({UNKNOWN_HINT})"
    english = language.display_name("en")
    if "Unknown" in english:
        return f"{tag} ({UNKNOWN_HINT})"
    try:
        name = language.display_name(reader)
    except (langcodes.LanguageTagError, ValueError):
        name = english
    return name[:1].upper() + name[1:] if reader.startswith("en") else name


def language_names(tags) -> list[str]:
    """Return the names of several tags, in order, skipping empty ones."""
    return [language_name(tag) for tag in tags if tag and str(tag).strip()]
