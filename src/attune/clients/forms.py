"""Forms for client records: every field says what to fix, and keeps what was typed."""

from __future__ import annotations

import re

from django import forms
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attune.clients.language_names import tag_for
from attune.clients.models import ContactConsent, InterpreterNeed
from attune.clients.time_zones import known_time_zone
from attune.clients.validation import (
    CHOSEN_NAME_MAX,
    LEGAL_NAME_MAX,
    PRONOUNS_MAX,
    clean_personal_text,
)

# BCP-47 in its common shapes: language, optional script, region or variants ("es", "zh-Hant-TW").
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
PRONOUN_SUGGESTIONS = ["she/her", "he/him", "they/them", "ze/zir", "any pronouns", "use my name"]
LANGUAGE_SUGGESTIONS = [
    ("en", "English"),
    ("es", "Spanish"),
    ("zh-Hans", "Chinese (simplified)"),
    ("vi", "Vietnamese"),
    ("ar", "Arabic"),
    ("ko", "Korean"),
    ("tl", "Tagalog"),
    ("ru", "Russian"),
    ("fr", "French"),
    ("ht", "Haitian Creole"),
    ("ase", "American Sign Language"),
]


# Free text with suggestions: the datalists are rendered beside the fields.
# dir="auto": a name typed in Arabic on an English page (or the reverse) still reads correctly.
NAME_INPUT = forms.TextInput(attrs={"dir": "auto"})
PRONOUNS_INPUT = forms.TextInput(
    attrs={"list": "pronoun-suggestions", "autocomplete": "off", "dir": "auto"}
)
LANGUAGE_INPUT = forms.TextInput(attrs={"list": "language-suggestions", "autocomplete": "off"})


# Each suggested language as its speakers write it, so a client finds their own language.
OWN_NAMES = {
    "en": "English",
    "es": "Español",
    "zh-Hans": "中文（简体）",
    "vi": "Tiếng Việt",
    "ar": "العربية",
    "ko": "한국어",
    "tl": "Tagalog",
    "ru": "Русский",
    "fr": "Français",
    "ht": "Kreyòl ayisyen",
    "ase": "American Sign Language (ASL)",
}


def own_name(tag: str) -> str:
    """Return a language's name in that language, or the tag when Attune does not know it."""
    if tag in OWN_NAMES:
        return OWN_NAMES[tag]
    try:
        return translation.get_language_info(tag)["name_local"]
    except KeyError:
        return tag


def language_choices_in_own_names(current: str = "") -> list[tuple[str, str]]:
    """Return the choices of a client's language: none said, each suggestion, and theirs."""
    choices = [("", gettext_lazy("I prefer not to say"))]
    choices += [(tag, OWN_NAMES[tag]) for tag, _english in LANGUAGE_SUGGESTIONS]
    if current and current not in OWN_NAMES:
        choices.append((current, own_name(current)))
    return choices


class LanguageSelect(forms.Select):
    """A select whose options carry their language, so each name is read in its own voice."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


def clean_language_tag(value: str) -> str:
    value = (value or "").strip()
    if value and not LANGUAGE_TAG.match(value):
        raise forms.ValidationError(
            _("Use a language code such as en, es or zh-Hant (pick one from the list or type it).")
        )
    return value


class NamingFieldsMixin:
    """Cleaning shared by every form that asks how someone is named."""

    def clean_chosen_name(self) -> str:
        value = clean_personal_text(
            self.cleaned_data.get("chosen_name", ""),
            max_length=CHOSEN_NAME_MAX,
            label=_("Chosen name"),
        )
        if not value:
            raise forms.ValidationError(_("Please give the name to use (one name is enough)."))
        return value

    def clean_pronouns(self) -> str:
        return clean_personal_text(
            self.cleaned_data.get("pronouns", ""), max_length=PRONOUNS_MAX, label=_("Pronouns")
        )

    def clean_preferred_language(self) -> str:
        return clean_language_tag(self.cleaned_data.get("preferred_language", ""))


class ClientForm(NamingFieldsMixin, forms.Form):
    chosen_name = forms.CharField(
        label="Chosen name",
        max_length=CHOSEN_NAME_MAX,
        help_text="The name to use everywhere.",
        widget=NAME_INPUT,
    )
    pronouns = forms.CharField(
        label="Pronouns", required=False, max_length=PRONOUNS_MAX, widget=PRONOUNS_INPUT
    )
    preferred_language = forms.CharField(
        label="Preferred language",
        required=False,
        max_length=35,
        widget=LANGUAGE_INPUT,
        help_text="Its name or its code, e.g. Spanish, Korean, American Sign Language, or es.",
    )
    interpreter_needed = forms.ChoiceField(
        label="Interpreter needed", choices=InterpreterNeed.choices, required=False
    )
    legal_name = forms.CharField(
        label="Legal name (only if billing or law needs it)",
        required=False,
        max_length=LEGAL_NAME_MAX,
    )
    email = forms.EmailField(label="Email", required=False)
    phone = forms.CharField(label="Phone", required=False, max_length=40)
    time_zone = forms.CharField(
        label="Time zone where they live (for when texts may go)",
        required=False,
        max_length=64,
        help_text="e.g. America/Chicago or Europe/Madrid. Leave it empty to use the phone "
        "number's zone, or the agency's.",
    )
    contact_consent = forms.ChoiceField(
        label="May we contact them, and how?", choices=ContactConsent.choices
    )

    def clean_time_zone(self) -> str:
        value = (self.cleaned_data.get("time_zone") or "").strip()
        if not value:
            return ""
        zone = known_time_zone(value)
        if zone is None:
            raise forms.ValidationError(
                "No time zone by that name: use a name such as America/Chicago, "
                "America/Los_Angeles or Europe/Madrid."
            )
        return zone

    def clean_legal_name(self) -> str:
        return clean_personal_text(
            self.cleaned_data.get("legal_name", ""), max_length=LEGAL_NAME_MAX, label="Legal name"
        )

    def clean_preferred_language(self) -> str:
        """Staff may type a language's name ("Korean") or its code ("ko"); the code is stored."""
        tag = tag_for(self.cleaned_data.get("preferred_language", ""))
        if tag is None:
            raise forms.ValidationError(
                "No language by that name: type its name in English (e.g. Korean) or its code "
                "(e.g. ko), or pick one from the list."
            )
        return tag

    def clean_phone(self) -> str:
        value = (self.cleaned_data.get("phone") or "").strip()
        if value and not re.fullmatch(r"[+()0-9 .\-]{5,40}", value):
            raise forms.ValidationError("Use digits, spaces and + ( ) - only, e.g. +1 555 0100.")
        return value


class BreakGlassForm(forms.Form):
    case_code = forms.CharField(label="Case code", max_length=12)
    reason = forms.CharField(
        label="Why do you need emergency access?",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=300,
    )


class ClientProfileForm(NamingFieldsMixin, forms.Form):
    """What a client may change about how they are named, through a private link."""

    chosen_name = forms.CharField(
        label=gettext_lazy("The name you want us to use"),
        max_length=CHOSEN_NAME_MAX,
        widget=NAME_INPUT,
    )
    pronouns = forms.CharField(
        label=gettext_lazy("Your pronouns (optional)"),
        required=False,
        max_length=PRONOUNS_MAX,
        widget=PRONOUNS_INPUT,
    )
    preferred_language = forms.ChoiceField(
        label=gettext_lazy("Language you prefer (optional)"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Please choose a language from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = (self.initial.get("preferred_language") or "").strip()
        self.fields["preferred_language"].choices = language_choices_in_own_names(current)
        self.fields["preferred_language"].widget = LanguageSelect(
            choices=self.fields["preferred_language"].choices
        )
