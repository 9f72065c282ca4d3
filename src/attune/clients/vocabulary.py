"""The optional categories a client may pick for aggregate reporting.

The client's own words are the record; these categories are only a reporting layer the client
may choose.  Race and ethnicity follow the 2024 revision of the US federal standard (SPD 15):
seven minimum categories, each with the detailed groups the standard lists first, and room to
name another.  Codes are stable identifiers for reports; labels are translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


@dataclass(frozen=True)
class Option:
    code: str
    label: _StrOrPromise


@dataclass(frozen=True)
class CategoryGroup:
    code: str
    label: _StrOrPromise
    details: tuple[Option, ...] = ()


RACE_ETHNICITY = (
    CategoryGroup(
        "aian",
        _("American Indian or Alaska Native"),
        (
            Option("aian-navajo", _("Navajo Nation")),
            Option("aian-blackfeet", _("Blackfeet Tribe")),
            Option("aian-inupiat", _("Native Village of Barrow Inupiat")),
            Option("aian-nome", _("Nome Eskimo Community")),
            Option("aian-aztec", _("Aztec")),
            Option("aian-maya", _("Maya")),
        ),
    ),
    CategoryGroup(
        "asian",
        _("Asian"),
        (
            Option("asian-chinese", _("Chinese")),
            Option("asian-indian", _("Asian Indian")),
            Option("asian-filipino", _("Filipino")),
            Option("asian-vietnamese", _("Vietnamese")),
            Option("asian-korean", _("Korean")),
            Option("asian-japanese", _("Japanese")),
        ),
    ),
    CategoryGroup(
        "black",
        _("Black or African American"),
        (
            Option("black-african-american", _("African American")),
            Option("black-jamaican", _("Jamaican")),
            Option("black-haitian", _("Haitian")),
            Option("black-nigerian", _("Nigerian")),
            Option("black-ethiopian", _("Ethiopian")),
            Option("black-somali", _("Somali")),
        ),
    ),
    CategoryGroup(
        "hispanic",
        _("Hispanic or Latino"),
        (
            Option("hispanic-mexican", _("Mexican")),
            Option("hispanic-puerto-rican", _("Puerto Rican")),
            Option("hispanic-salvadoran", _("Salvadoran")),
            Option("hispanic-cuban", _("Cuban")),
            Option("hispanic-dominican", _("Dominican")),
            Option("hispanic-guatemalan", _("Guatemalan")),
        ),
    ),
    CategoryGroup(
        "mena",
        _("Middle Eastern or North African"),
        (
            Option("mena-lebanese", _("Lebanese")),
            Option("mena-iranian", _("Iranian")),
            Option("mena-egyptian", _("Egyptian")),
            Option("mena-syrian", _("Syrian")),
            Option("mena-iraqi", _("Iraqi")),
            Option("mena-israeli", _("Israeli")),
        ),
    ),
    CategoryGroup(
        "nhpi",
        _("Native Hawaiian or Pacific Islander"),
        (
            Option("nhpi-native-hawaiian", _("Native Hawaiian")),
            Option("nhpi-samoan", _("Samoan")),
            Option("nhpi-chamorro", _("Chamorro")),
            Option("nhpi-tongan", _("Tongan")),
            Option("nhpi-fijian", _("Fijian")),
            Option("nhpi-marshallese", _("Marshallese")),
        ),
    ),
    CategoryGroup(
        "white",
        _("White"),
        (
            Option("white-english", _("English")),
            Option("white-german", _("German")),
            Option("white-irish", _("Irish")),
            Option("white-italian", _("Italian")),
            Option("white-polish", _("Polish")),
            Option("white-scottish", _("Scottish")),
        ),
    ),
)

GENDER_IDENTITY = (
    Option("woman", _("Woman")),
    Option("man", _("Man")),
    Option("non-binary", _("Non-binary")),
    Option("transgender", _("Transgender")),
    Option("genderqueer", _("Genderqueer or gender-fluid")),
    Option("two-spirit", _("Two-Spirit")),
    Option("agender", _("Agender")),
    Option("questioning", _("Questioning or not sure")),
    Option("self-describe", _("I describe it in my own words")),
)

SEX_ASSIGNED_AT_BIRTH = (
    Option("female", _("Female")),
    Option("male", _("Male")),
    Option("intersex", _("Intersex")),
    Option("self-describe", _("I describe it in my own words")),
)

SEXUAL_ORIENTATION = (
    Option("lesbian", _("Lesbian")),
    Option("gay", _("Gay")),
    Option("bisexual", _("Bisexual")),
    Option("pansexual", _("Pansexual")),
    Option("queer", _("Queer")),
    Option("asexual", _("Asexual")),
    Option("straight", _("Straight or heterosexual")),
    Option("two-spirit", _("Two-Spirit")),
    Option("questioning", _("Questioning or not sure")),
    Option("self-describe", _("I describe it in my own words")),
)

ACCESSIBILITY = (
    Option("step-free", _("Step-free access (no stairs)")),
    Option("captions", _("Captions on video calls")),
    Option("sign-interpreter", _("A sign language interpreter")),
    Option("large-print", _("Large print")),
    Option("screen-reader", _("Forms that work with a screen reader")),
    Option("quiet-room", _("A quiet room")),
    Option("easy-read", _("Plain, easy-to-read information")),
    Option("extra-time", _("Extra time in sessions")),
)

INTERPRETER = (
    Option("yes", _("Yes")),
    Option("no", _("No")),
    Option("not_sure", _("Not sure")),
)

# The agency's sliding scale; an agency changes this list to match its own tiers.
FEE_TIERS = (
    Option("full", _("Full fee")),
    Option("reduced", _("Reduced fee")),
    Option("minimal", _("Minimal fee")),
    Option("none", _("No fee")),
    Option("discuss", _("I would like to talk about fees")),
)


def race_codes() -> set[str]:
    """Return every race and ethnicity code: the seven groups and their detailed groups."""
    return {group.code for group in RACE_ETHNICITY} | {
        option.code for group in RACE_ETHNICITY for option in group.details
    }


def codes(options: tuple[Option, ...]) -> set[str]:
    """Return the codes of ``options``."""
    return {option.code for option in options}


# Short names for the accessibility badges staff see wherever a client appears.
ACCESS_BADGES = {
    "step-free": "Step-free",
    "captions": "Captions",
    "sign-interpreter": "Sign interpreter",
    "large-print": "Large print",
    "screen-reader": "Screen reader",
    "quiet-room": "Quiet room",
    "easy-read": "Easy read",
    "extra-time": "Extra time",
}
