"""Which languages an instrument can really be answered in (pure: no Django).

An instrument "has" a language only when its title, every question and every answer option are
in it: a title translated over English questions is not a translation.  A validated measure is
only ever translated with its official, published text (docs/translations.md); Attune writes no
translation of one itself.
"""

from __future__ import annotations

from attune.measures.instrument import Instrument


def base(tag: str) -> str:
    """Return the language of a tag without script or region ("es" for "es-MX")."""
    return (tag or "").split("-", 1)[0].lower()


def complete_languages(instrument: Instrument) -> tuple[str, ...]:
    """Return the instrument's own language, then each language every one of its texts is in."""
    texts = [instrument.title]
    for item in instrument.all_items():
        if item.text is not None:
            texts.append(item.text)
        texts.extend(option.display for option in item.options)
    candidates = set().union(*(text.languages() for text in texts)) - {instrument.language}
    complete = sorted(
        language for language in candidates if all(language in text.languages() for text in texts)
    )
    return (instrument.language, *complete)


def has_language(instrument: Instrument, language: str) -> bool:
    """Say whether a client reading ``language`` can read all of ``instrument``."""
    return base(language) in {base(tag) for tag in complete_languages(instrument)}
