"""Languages by their names, never by their BCP-47 tags.

A client's preferred language is stored as a tag ("es", "ko", "ase", "zh-Hans") so reports can
count it; people read its name, in the reader's language: "Spanish", "Korean", "American Sign
Language", "Chinese (Simplified)".  Names come from langcodes and its language_data tables
(CLDR and the IANA registry), which name thousands of languages in many languages; a tag they do
not know is shown as written with a plain "(language code)" hint, never as an error.
"""

from __future__ import annotations

import re
from functools import lru_cache

import langcodes
from django.utils import translation

UNKNOWN_HINT = "language code"
# The shape of a BCP-47 tag as forms accept it (attune.clients.forms.LANGUAGE_TAG).
TAG_SHAPE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


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


def tag_for(text: str) -> str | None:
    """Return the tag for what staff typed: a tag as written, or a language's name ("Korean").

    A 2–3 letter word is read as a tag ("ga" is Irish); anything else is looked up by name, in
    English or in the language itself ("español").  None when nothing matches.
    """
    text = (text or "").strip()
    if not text:
        return ""
    if TAG_SHAPE.match(text):
        return text
    try:
        found = langcodes.find(text)
    except LookupError:
        return None
    # find() also matches loosely ("Lithuanian please"); only an exact name counts.
    names = {found.display_name("en"), found.language_name("en"), found.autonym()}
    if text.casefold() not in {name.casefold() for name in names}:
        return None
    return found.to_tag()


def editable_name(tag: str) -> str:
    """Return what a form shows for a stored tag: its name when the name leads back to the same
    tag, else the tag itself (so saving the form unchanged never changes the language)."""
    name = language_name(tag, "en")
    if name and "(" not in name and tag_for(name) == tag:
        return name
    return tag
