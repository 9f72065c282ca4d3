"""The dashboard's words for attributes and groups: the vocabulary's labels, never codes.

The database reports groups by the codes the self-identification stores (``hispanic``,
``hispanic-puerto-rican``, ``es``, ``2025-Q3``); people read "Hispanic or Latino", "Puerto
Rican (Hispanic or Latino)", "Spanish", "Jul–Sep 2025". ``VocabularyWording`` gives the
statistics engine's sentences (``attune.equity.wording``) those words, so the engine stays
free of Django. A code the vocabulary does not know (one an agency removed) is shown as
stored rather than dropped.
"""

from __future__ import annotations

from attune.clients import vocabulary
from attune.clients.language_names import language_name
from attune.equity import schema
from attune.equity.database import QUARTER

ATTRIBUTE_LABELS = {
    "gender": "Gender",
    "sex_at_birth": "Sex assigned at birth",
    "orientation": "Sexual orientation",
    "race_ethnicity": "Race and ethnicity",
    "languages": "Languages",
    "interpreter": "Interpreter",
    "accessibility": "Accessibility needs",
    "fee_tier": "Fee",
    QUARTER: "Referral quarter",
}
# What a client did not share, for "clients who did not share their ...".
NOT_SHARED = {
    "gender": "gender",
    "sex_at_birth": "sex assigned at birth",
    "orientation": "sexual orientation",
    "race_ethnicity": "race or ethnicity",
    "languages": "languages",
    "interpreter": "need for an interpreter",
    "accessibility": "accessibility needs",
    "fee_tier": "fee",
    QUARTER: "referral date",
}
NOT_DISCLOSED_LABEL = "Not disclosed"
SELF_DESCRIBED = "self-describe"
# Labels that keep their capitals inside a sentence (names of peoples and identities).
KEEP_CASE = {"two-spirit"}
# Languages some Django versions do not name.
QUARTER_MONTHS = {"1": "Jan–Mar", "2": "Apr–Jun", "3": "Jul–Sep", "4": "Oct–Dec"}

_OPTIONS = {
    "gender": vocabulary.GENDER_IDENTITY,
    "sex_at_birth": vocabulary.SEX_ASSIGNED_AT_BIRTH,
    "orientation": vocabulary.SEXUAL_ORIENTATION,
    "interpreter": vocabulary.INTERPRETER,
    "accessibility": vocabulary.ACCESSIBILITY,
    "fee_tier": vocabulary.FEE_TIERS,
}


def _race_labels() -> dict[str, str]:
    labels = {}
    for group in vocabulary.RACE_ETHNICITY:
        labels[group.code] = str(group.label)
        for option in group.details:
            labels[option.code] = f"{option.label} ({group.label})"
    return labels


def _race_names() -> dict[str, str]:
    """Race and ethnicity as said in a sentence: the detailed group alone ("Puerto Rican")."""
    names = {}
    for group in vocabulary.RACE_ETHNICITY:
        names[group.code] = str(group.label)
        for option in group.details:
            names[option.code] = str(option.label)
    return names


def language_label(tag: str) -> str:
    """Return a language tag's name ("Spanish"), as staff pages name it."""
    return language_name(tag)


def quarter_label(value: str) -> str:
    """Return "2025-Q3" as "Jul–Sep 2025" (anything else as given)."""
    year, _, quarter = value.partition("-Q")
    if year.isdigit() and quarter in QUARTER_MONTHS:
        return f"{QUARTER_MONTHS[quarter]} {year}"
    return value


def attribute_label(view: str) -> str:
    """Return an attribute or intersection's label ("Gender and Languages")."""
    return " and ".join(
        ATTRIBUTE_LABELS.get(name, name) for name in view.split(schema.INTERSECTION_JOINER)
    )


def group_label(attribute: str, code: str) -> str:
    """Return one group of one attribute as a short label, for tables and charts."""
    if code == schema.NOT_DISCLOSED:
        return NOT_DISCLOSED_LABEL
    if attribute == "race_ethnicity":
        return _race_labels().get(code, code)
    if attribute == "languages":
        return language_label(code)
    if attribute == QUARTER:
        return quarter_label(code)
    options = {option.code: str(option.label) for option in _OPTIONS.get(attribute, ())}
    return options.get(code, code)


def _lower(code: str, label: str) -> str:
    return label if code in KEEP_CASE else label[:1].lower() + label[1:]


def _who(attribute: str, code: str) -> str:
    """Return the part of "clients ..." that says who one group of one attribute is."""
    if code == schema.NOT_DISCLOSED:
        return f"who did not share their {NOT_SHARED.get(attribute, attribute)}"
    label = group_label(attribute, code)
    if code == SELF_DESCRIBED and attribute in ("gender", "sex_at_birth", "orientation"):
        return f"who describe their {NOT_SHARED[attribute]} in their own words"
    if attribute == "race_ethnicity":
        return f"who identify as {_race_names().get(code, code)}"
    if attribute == "gender":
        article = "a " if code in ("woman", "man") else ""
        return f"who identify as {article}{_lower(code, label)}"
    if attribute == "orientation":
        return f"who identify as {_lower(code, label)}"
    if attribute == "sex_at_birth":
        return f"assigned {label.lower()} at birth"
    if attribute == "languages":
        return f"who speak {label}"
    if attribute == "interpreter":
        return {
            "yes": "who asked for an interpreter",
            "no": "who said they need no interpreter",
            "not_sure": "who were not sure they need an interpreter",
        }.get(code, f"whose answer about an interpreter was {label}")
    if attribute == "accessibility":
        return f"who asked for {_lower(code, label)}"
    if attribute == "fee_tier":
        if code == "discuss":
            return "who asked to talk about fees"
        return f"on {_lower(code, label)}"
    if attribute == QUARTER:
        return f"referred in {label}"
    return f"in the group {label}"


class VocabularyWording:
    """The dashboard's wording: the vocabulary's labels in tables and in sentences."""

    def attribute(self, attribute: str) -> str:
        return attribute_label(attribute).lower()

    def group(self, attribute: str, group: str) -> str:
        parts = _split(attribute, group)
        return " · ".join(group_label(name, code) for name, code in parts)

    def clients(self, attribute: str, group: str) -> str:
        parts = _split(attribute, group)
        return "clients " + " and ".join(_who(name, code) for name, code in parts)


def _split(attribute: str, group: str) -> list[tuple[str, str]]:
    """Return an intersection's (attribute, code) pairs; a plain attribute gives one pair."""
    names = attribute.split(schema.INTERSECTION_JOINER)
    codes = group.split(schema.INTERSECTION_JOINER)
    if len(names) != len(codes):
        return [(attribute, group)]
    return list(zip(names, codes, strict=True))


WORDING = VocabularyWording()
