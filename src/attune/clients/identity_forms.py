"""The self-identification and cultural-formulation forms, for clients and for staff.

Every question is optional and has its own "I prefer not to say", recorded apart from a question
left empty.  Categories are an optional reporting layer beside the client's own words; when the
two disagree, both are kept and the words are the record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attune.clients import vocabulary
from attune.clients.forms import (
    LANGUAGE_INPUT,
    NAME_INPUT,
    PRONOUNS_INPUT,
    NamingFieldsMixin,
    clean_language_tag,
)
from attune.clients.models import FormulationTopic, Question
from attune.clients.validation import (
    CHOSEN_NAME_MAX,
    LEGAL_NAME_MAX,
    PRONOUNS_MAX,
    clean_personal_text,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    _FormBase = forms.Form  # what the mixins below are mixed into
else:
    _FormBase = object

WORDS_MAX = 500
LONG_WORDS_MAX = 2000
WORDS_INPUT = forms.TextInput(attrs={"dir": "auto"})
LONG_WORDS_INPUT = forms.Textarea(attrs={"dir": "auto", "rows": 3})


def _choices(options) -> list[tuple[str, _StrOrPromise]]:
    return [(option.code, option.label) for option in options]


def _race_choices() -> list[tuple[str, _StrOrPromise]]:
    return [(group.code, group.label) for group in vocabulary.RACE_ETHNICITY] + [
        (option.code, option.label)
        for group in vocabulary.RACE_ETHNICITY
        for option in group.details
    ]


def _declined_field() -> forms.BooleanField:
    return forms.BooleanField(label=gettext_lazy("I prefer not to say"), required=False)


def _words(label, *, long: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=LONG_WORDS_MAX if long else WORDS_MAX,
        widget=LONG_WORDS_INPUT if long else WORDS_INPUT,
    )


def _multi(label, options) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=options, widget=forms.CheckboxSelectMultiple
    )


class RefuseUnknownFieldsMixin(_FormBase):
    """Refuse a submission carrying fields the form does not have: it was not sent by our page."""

    ALLOWED_EXTRA = {"csrfmiddlewaretoken"}

    def clean(self):
        cleaned = super().clean()
        if self.is_bound:
            unknown = set(self.data) - set(self.fields) - self.ALLOWED_EXTRA
            if unknown:
                raise forms.ValidationError(
                    _(
                        "This form had answers we did not ask for, so nothing was saved. "
                        "Please reload the page and try again."
                    )
                )
        return cleaned


class SelfIdentificationForm(RefuseUnknownFieldsMixin, NamingFieldsMixin, forms.Form):
    """How a client describes themselves.  Build answers with ``answers_and_declined()``."""

    chosen_name = forms.CharField(
        label=gettext_lazy("The name you want us to use"),
        required=False,
        max_length=CHOSEN_NAME_MAX,
        widget=NAME_INPUT,
    )
    pronouns = forms.CharField(
        label=gettext_lazy("Your pronouns"),
        required=False,
        max_length=PRONOUNS_MAX,
        widget=PRONOUNS_INPUT,
        help_text=gettext_lazy("For example: she/her, he/him, they/them, or just your name."),
    )
    pronouns_declined = _declined_field()
    legal_name = forms.CharField(
        label=gettext_lazy("Legal name, only if different and your insurance needs it"),
        required=False,
        max_length=LEGAL_NAME_MAX,
        widget=NAME_INPUT,
    )
    legal_name_declined = _declined_field()
    gender_words = _words(gettext_lazy("Your gender, in your own words"))
    gender = _multi(
        gettext_lazy("You can also pick any that fit"), _choices(vocabulary.GENDER_IDENTITY)
    )
    gender_declined = _declined_field()
    sex_at_birth = forms.ChoiceField(
        label=gettext_lazy("Sex you were assigned at birth"),
        required=False,
        choices=_choices(vocabulary.SEX_ASSIGNED_AT_BIRTH),
        widget=forms.RadioSelect,
    )
    sex_at_birth_words = _words(gettext_lazy("In your own words"))
    sex_at_birth_declined = _declined_field()
    orientation_words = _words(gettext_lazy("Your sexual orientation, in your own words"))
    orientation = _multi(
        gettext_lazy("You can also pick any that fit"), _choices(vocabulary.SEXUAL_ORIENTATION)
    )
    orientation_declined = _declined_field()
    race_ethnicity_words = _words(
        gettext_lazy("Your race, ethnicity or heritage, in your own words")
    )
    race_ethnicity = _multi(gettext_lazy("Pick all that apply"), _race_choices())
    race_ethnicity_declined = _declined_field()
    language_1 = forms.CharField(
        label=gettext_lazy("The language you prefer"),
        required=False,
        max_length=35,
        widget=LANGUAGE_INPUT,
    )
    language_2 = forms.CharField(
        label=gettext_lazy("Another language you use"),
        required=False,
        max_length=35,
        widget=LANGUAGE_INPUT,
    )
    language_3 = forms.CharField(
        label=gettext_lazy("Another language you use"),
        required=False,
        max_length=35,
        widget=LANGUAGE_INPUT,
    )
    languages_declined = _declined_field()
    interpreter = forms.ChoiceField(
        label=gettext_lazy("Would you like an interpreter?"),
        required=False,
        choices=_choices(vocabulary.INTERPRETER),
        widget=forms.RadioSelect,
    )
    interpreter_language = forms.CharField(
        label=gettext_lazy("Interpreter for which language?"),
        required=False,
        max_length=35,
        widget=LANGUAGE_INPUT,
    )
    sign_language = _words(gettext_lazy("If you use a sign language, which one?"))
    accessibility = _multi(
        gettext_lazy("Would any of these help you?"), _choices(vocabulary.ACCESSIBILITY)
    )
    accessibility_words = _words(gettext_lazy("Anything else that would make it easier"))
    accessibility_declined = _declined_field()
    religion_words = _words(gettext_lazy("Your religion, faith or spirituality, if you have one"))
    religion_declined = _declined_field()
    fee_tier = forms.ChoiceField(
        label=gettext_lazy("Which fee fits you?"),
        required=False,
        choices=_choices(vocabulary.FEE_TIERS),
        widget=forms.RadioSelect,
    )
    fee_tier_declined = _declined_field()
    anything_else = _words(
        gettext_lazy("Is there anything you want your therapist to know about you?"), long=True
    )

    # question -> the form fields that answer it (used to refuse "prefer not to say" + answer)
    QUESTION_FIELDS = {
        Question.PRONOUNS: ("pronouns",),
        Question.LEGAL_NAME: ("legal_name",),
        Question.GENDER: ("gender_words", "gender"),
        Question.SEX_AT_BIRTH: ("sex_at_birth", "sex_at_birth_words"),
        Question.ORIENTATION: ("orientation_words", "orientation"),
        Question.RACE_ETHNICITY: ("race_ethnicity_words", "race_ethnicity"),
        Question.LANGUAGES: ("language_1", "language_2", "language_3"),
        Question.ACCESSIBILITY: ("accessibility", "accessibility_words"),
        Question.RELIGION: ("religion_words",),
        Question.FEE_TIER: ("fee_tier",),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.ATTUNE_ASK_SEX_AT_BIRTH:
            for name in ("sex_at_birth", "sex_at_birth_words", "sex_at_birth_declined"):
                del self.fields[name]

    def clean_chosen_name(self) -> str:
        # Optional here: an empty name keeps the one already on record.
        return clean_personal_text(
            self.cleaned_data.get("chosen_name", ""),
            max_length=CHOSEN_NAME_MAX,
            label=_("Chosen name"),
        )

    def clean_legal_name(self) -> str:
        return clean_personal_text(
            self.cleaned_data.get("legal_name", ""),
            max_length=LEGAL_NAME_MAX,
            label=_("Legal name"),
        )

    def _clean_tag(self, name: str) -> str:
        return clean_language_tag(self.cleaned_data.get(name, ""))

    def clean_language_1(self) -> str:
        return self._clean_tag("language_1")

    def clean_language_2(self) -> str:
        return self._clean_tag("language_2")

    def clean_language_3(self) -> str:
        return self._clean_tag("language_3")

    def clean_interpreter_language(self) -> str:
        return self._clean_tag("interpreter_language")

    def clean(self):
        cleaned = super().clean()
        for question, names in self.QUESTION_FIELDS.items():
            declined = cleaned.get(f"{question}_declined")
            if declined and any(cleaned.get(name) for name in names if name in self.fields):
                self.add_error(
                    f"{question}_declined",
                    _("You chose “I prefer not to say” and also answered. Keep one of them."),
                )
        return cleaned

    def race_groups(self):
        """Return (group checkbox, [detailed group checkboxes]) pairs for nested display."""
        boxes = {box.data["value"]: box for box in self["race_ethnicity"]}
        return [
            (boxes[group.code], [boxes[option.code] for option in group.details])
            for group in vocabulary.RACE_ETHNICITY
        ]

    def answers_and_declined(self) -> tuple[dict, list[Question]]:
        """Return the answers by question, and the questions the client declined."""
        data = self.cleaned_data
        answers: dict = {}
        declined = [q for q in self.QUESTION_FIELDS if data.get(f"{q}_declined")]

        def words(name: str) -> str:
            return clean_personal_text(data.get(name, ""), max_length=LONG_WORDS_MAX, label="")

        for key, value in (
            (Question.CHOSEN_NAME, data.get("chosen_name")),
            (Question.PRONOUNS, data.get("pronouns")),
            (Question.LEGAL_NAME, data.get("legal_name")),
            (Question.RELIGION, words("religion_words")),
            (Question.FEE_TIER, data.get("fee_tier")),
            (Question.SIGN_LANGUAGE, words("sign_language")),
            (Question.ANYTHING_ELSE, words("anything_else")),
        ):
            if value:
                answers[key] = value
        for key, words_field, codes_field in (
            (Question.GENDER, "gender_words", "gender"),
            (Question.ORIENTATION, "orientation_words", "orientation"),
            (Question.RACE_ETHNICITY, "race_ethnicity_words", "race_ethnicity"),
        ):
            given_words, codes = words(words_field), list(data.get(codes_field) or [])
            if given_words or codes:
                answers[key] = {"words": given_words, "categories": codes}
        if data.get("sex_at_birth") or data.get("sex_at_birth_words"):
            answers[Question.SEX_AT_BIRTH] = {
                "category": data.get("sex_at_birth", ""),
                "words": words("sex_at_birth_words"),
            }
        languages = [data[n] for n in ("language_1", "language_2", "language_3") if data.get(n)]
        if languages:
            answers[Question.LANGUAGES] = list(dict.fromkeys(languages))
        if data.get("interpreter"):
            answers[Question.INTERPRETER] = {
                "need": data["interpreter"],
                "language": data.get("interpreter_language", ""),
            }
        needs, needs_words = list(data.get("accessibility") or []), words("accessibility_words")
        if needs or needs_words:
            answers[Question.ACCESSIBILITY] = {"needs": needs, "words": needs_words}
        return answers, declined

    @classmethod
    def initial_from(cls, client, identity) -> dict:
        """Return the form's initial values from the client's record and newest version."""
        answers = identity.answers if identity else {}
        declined = set(identity.declined) if identity else set()
        languages = answers.get(Question.LANGUAGES) or (
            [client.preferred_language] if client.preferred_language else []
        )
        initial = {
            "chosen_name": client.chosen_name,
            "pronouns": client.pronouns,
            "legal_name": client.legal_name,
            "religion_words": answers.get(Question.RELIGION, ""),
            "fee_tier": answers.get(Question.FEE_TIER, ""),
            "sign_language": answers.get(Question.SIGN_LANGUAGE, ""),
            "anything_else": answers.get(Question.ANYTHING_ELSE, ""),
            "interpreter": answers.get(Question.INTERPRETER, {}).get(
                "need", client.interpreter_needed
            ),
            "interpreter_language": answers.get(Question.INTERPRETER, {}).get("language", ""),
            "accessibility": answers.get(Question.ACCESSIBILITY, {}).get("needs", []),
            "accessibility_words": answers.get(Question.ACCESSIBILITY, {}).get("words", ""),
            "sex_at_birth": answers.get(Question.SEX_AT_BIRTH, {}).get("category", ""),
            "sex_at_birth_words": answers.get(Question.SEX_AT_BIRTH, {}).get("words", ""),
        }
        for key in (Question.GENDER, Question.ORIENTATION, Question.RACE_ETHNICITY):
            initial[f"{key}_words"] = answers.get(key, {}).get("words", "")
            initial[str(key)] = answers.get(key, {}).get("categories", [])
        for n, tag in enumerate(languages[:3], start=1):
            initial[f"language_{n}"] = tag
        for question in cls.QUESTION_FIELDS:
            initial[f"{question}_declined"] = question in declined
        return initial


FORMULATION_PROMPTS = {
    FormulationTopic.PROBLEM: gettext_lazy("What brings you here? Say it in your own words."),
    FormulationTopic.OTHERS_VIEW: gettext_lazy(
        "What do the people close to you think is going on?"
    ),
    FormulationTopic.CAUSES: gettext_lazy("What do you think caused it?"),
    FormulationTopic.STRESSES: gettext_lazy("What makes things harder right now?"),
    FormulationTopic.SUPPORTS: gettext_lazy("Who or what helps you get through?"),
    FormulationTopic.IDENTITY_MEANING: gettext_lazy(
        "What do your background, culture or identity mean to you? Do they touch on what you "
        "are going through?"
    ),
    FormulationTopic.PAST_COPING: gettext_lazy(
        "How have you coped with this before? What helped, and what did not?"
    ),
    FormulationTopic.PAST_HELP: gettext_lazy(
        "Have you asked for help before, from family, a faith community, a healer, a doctor or a "
        "counselor? How did it go?"
    ),
    FormulationTopic.HOPES: gettext_lazy("What do you hope will change? What would help most now?"),
    FormulationTopic.THERAPIST_BACKGROUND: gettext_lazy(
        "Does anything worry you about working with a therapist whose background may differ "
        "from yours?"
    ),
}

# The four parts, each with its topics, in the order the form asks them.
FORMULATION_PARTS = (
    (gettext_lazy("What is happening"), (FormulationTopic.PROBLEM, FormulationTopic.OTHERS_VIEW)),
    (
        gettext_lazy("Why, and what helps"),
        (FormulationTopic.CAUSES, FormulationTopic.STRESSES, FormulationTopic.SUPPORTS),
    ),
    (gettext_lazy("Who you are"), (FormulationTopic.IDENTITY_MEANING,)),
    (
        gettext_lazy("Help before, and hopes now"),
        (
            FormulationTopic.PAST_COPING,
            FormulationTopic.PAST_HELP,
            FormulationTopic.HOPES,
            FormulationTopic.THERAPIST_BACKGROUND,
        ),
    ),
)


class CulturalFormulationForm(RefuseUnknownFieldsMixin, forms.Form):
    """The client's cultural formulation, one free-text answer per topic, all optional."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for topic, prompt in FORMULATION_PROMPTS.items():
            self.fields[str(topic)] = _words(prompt, long=True)

    def parts(self):
        """Yield (heading, bound fields) for the template, part by part."""
        for heading, topics in FORMULATION_PARTS:
            yield heading, [self[str(topic)] for topic in topics]

    def answers(self) -> dict:
        """Return the non-empty answers by topic."""
        return {
            topic: clean_personal_text(value, max_length=LONG_WORDS_MAX, label="")
            for topic, value in self.cleaned_data.items()
            if value and value.strip()
        }
