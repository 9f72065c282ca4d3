"""Structural checks of a whole form: does it let clients say who they are?"""

from __future__ import annotations

import re
from collections.abc import Callable

from attune.language.results import Check, FormModel, Question

CHECK_NAMES: tuple[str, ...] = (
    "chosen_name",
    "pronouns",
    "gender_options",
    "race_ethnicity_multi_select",
    "language_preference",
    "interpreter_need",
    "accessibility_needs",
    "prefer_not_to_say",
    "legal_name_reason",
    "labels",
)

_I = re.IGNORECASE
CHOSEN_NAME = re.compile(
    r"\b(?:chosen|preferred)\s+(?:first\s+)?name|name\s+(?:that\s+)?you\s+(?:use|go\s+by|prefer)"
    r"|(?:like|want)\s+(?:us\s+|staff\s+)?to\s+call\s+you|call\s+you\s+by|nick\s?name",
    _I,
)
PRONOUNS = re.compile(r"\bpronouns?\b", _I)
GENDER = re.compile(r"\bgender\b|\bsex\b", _I)
RACE = re.compile(r"\brac(?:e|es|ial)\b|\bethnic(?:ity|ities)?\b", _I)
LANGUAGE = re.compile(r"\blanguages?\b|\bspeak\b", _I)
INTERPRETER = re.compile(r"\binterpret(?:er|ers|ing|ation)?\b|\btranslat(?:or|ors|ion)\b", _I)
ACCESSIBILITY = re.compile(
    r"\baccessib|\baccommodat|\bdisabilit|\bassistive|\blarge\s+print|\bsign\s+language"
    r"|\bmobility\b|\bwheelchair\s+access|\bscreen\s+reader",
    _I,
)
PREFER_NOT = re.compile(
    r"prefer\s+not|rather\s+not|decline|choose\s+not|not\s+to\s+(?:say|answer|disclose)"
    r"|do\s+not\s+wish|don.t\s+wish|not\s+disclose",
    _I,
)
SENSITIVE = re.compile(
    r"\bgender\b|\bsex\b|sexual\s+orientation|\borientation\b|\brac(?:e|ial)\b|\bethnic"
    r"|\breligio|\bfaith\b|\bincome\b|\bimmigration|\bcitizenship|\bdisabilit|\bhiv\b"
    r"|\bmarital\b|\bcriminal\b|\barrest",
    _I,
)
LEGAL_NAME = re.compile(
    r"\blegal\s+(?:first\s+|last\s+|full\s+)?name|name\s+(?:as\s+it\s+appears\s+)?on\s+(?:your\s+)?"
    r"(?:insurance|id|license|passport)",
    _I,
)
NAME_FIELD = re.compile(
    r"^\s*(?:(?:first|last|middle|full|given|family|sur)\s*name|surname|name)\b", _I
)
LEGAL_NAME_REASON = re.compile(
    r"\binsurance\b|\bbilling\b|\bbill\b|\bclaims?\b|\brequired\b|\blaw\b|\bbecause\b"
    r"|\bso\s+that\b|\bonly\s+(?:used|for|where)|\bused\s+only\b|\bto\s+match\b|\bpharmac"
    r"|\bprescription|\bwhy\s+we\s+ask",
    _I,
)
BINARY_ANSWERS = frozenset({"male", "female", "m", "f", "man", "woman", "boy", "girl"})


def _matching(form: FormModel, pattern: re.Pattern[str]) -> list[Question]:
    return [question for question in form.questions if pattern.search(question.text)]


def _asked(form: FormModel, pattern: re.Pattern[str]) -> bool:
    if _matching(form, pattern):
        return True
    return not form.has_label_data and bool(pattern.search(form.full_text))


def _names(questions: list[Question], limit: int = 4) -> str:
    unique = list(dict.fromkeys(q.text[:40] for q in questions))
    shown = [f'"{text}"' for text in unique[:limit]]
    more = len(unique) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _presence(name: str, asked: bool, yes: str, no: str) -> Check:
    return Check(name, "present" if asked else "missing", yes if asked else no)


def check_chosen_name(form: FormModel) -> Check:
    """Report whether the form asks the name the client uses."""
    return _presence(
        "chosen_name",
        _asked(form, CHOSEN_NAME),
        "The form asks for the name the client uses.",
        "No question asks for the client's chosen name; add 'Name you use' before any legal name.",
    )


def check_pronouns(form: FormModel) -> Check:
    """Report whether the form asks the client's pronouns."""
    return _presence(
        "pronouns",
        _asked(form, PRONOUNS),
        "The form asks for the client's pronouns.",
        "No question asks for pronouns; add an optional free-text 'Pronouns' field.",
    )


def _has_self_describe(question: Question) -> bool:
    return question.kind == "free_text" or question.allows_free_text


def check_gender_options(form: FormModel) -> Check:
    """Report whether gender questions go beyond male/female and allow self-description."""
    questions = [q for q in _matching(form, GENDER) if not re.search(r"orientation", q.text, _I)]
    if not questions:
        if not form.has_label_data and GENDER.search(form.full_text):
            return Check(
                "gender_options",
                "missing",
                "Gender is mentioned but its answers could "
                "not be read; offer non-binary and a self-describe option.",
            )
        return Check("gender_options", "not_applicable", "The form does not ask about gender.")
    problems: list[str] = []
    for question in questions:
        options = question.options
        if options is None and not question.allows_free_text:
            problems.append(
                f'"{question.text}" takes answers only from a coded list'
                f"{' (' + question.value_set + ')' if question.value_set else ''}, so clients "
                "cannot describe their gender in their own words"
            )
            continue
        if options:
            substantive = [o for o in options if not PREFER_NOT.search(o)]
            if substantive and all(o.strip(" .").lower() in BINARY_ANSWERS for o in substantive):
                problems.append(f'"{question.text}" offers only {" / ".join(substantive)}')
                continue
        if not _has_self_describe(question):
            problems.append(f'"{question.text}" has no self-describe option')
    if problems:
        return Check("gender_options", "missing", "; ".join(problems) + ".")
    return Check(
        "gender_options", "present", "Gender is asked beyond male/female, with self-description."
    )


def check_race_ethnicity(form: FormModel) -> Check:
    """Report whether race/ethnicity is multi-select and has a self-describe option."""
    questions = _matching(form, RACE)
    if not questions:
        if not form.has_label_data and RACE.search(form.full_text):
            return Check(
                "race_ethnicity_multi_select",
                "missing",
                "Race or ethnicity is "
                "mentioned but not as a readable question; say 'check all that apply' "
                "and offer a self-describe option.",
            )
        return Check(
            "race_ethnicity_multi_select",
            "not_applicable",
            "The form does not ask about race or ethnicity.",
        )
    problems: list[str] = []
    for question in questions:
        if question.kind == "free_text":
            continue
        if question.kind != "multi_choice":
            problems.append(f'"{question.text}" is a single choice')
        elif not question.allows_free_text:
            problems.append(f'"{question.text}" has no self-describe option')
    if problems:
        return Check(
            "race_ethnicity_multi_select",
            "missing",
            "; ".join(problems) + "; multiracial clients need 'check all that apply' and "
            "'another race or ethnicity (please describe)'.",
        )
    return Check(
        "race_ethnicity_multi_select",
        "present",
        "Race/ethnicity allows several answers and self-description.",
    )


def check_language(form: FormModel) -> Check:
    """Report whether the form asks the client's preferred language."""
    return _presence(
        "language_preference",
        _asked(form, LANGUAGE),
        "The form asks which language the client prefers.",
        "No question asks the client's preferred language.",
    )


def check_interpreter(form: FormModel) -> Check:
    """Report whether the form asks if the client needs an interpreter."""
    return _presence(
        "interpreter_need",
        _asked(form, INTERPRETER),
        "The form asks whether the client needs an interpreter.",
        "No question asks whether the client needs an interpreter (spoken or sign language).",
    )


def check_accessibility(form: FormModel) -> Check:
    """Report whether the form asks about accessibility needs."""
    return _presence(
        "accessibility_needs",
        _asked(form, ACCESSIBILITY),
        "The form asks about accessibility needs.",
        "No question asks about accessibility needs (access, formats, accommodations).",
    )


def check_prefer_not_to_say(form: FormModel) -> Check:
    """Report whether every sensitive choice question lets the client decline to answer."""
    sensitive = [q for q in _matching(form, SENSITIVE)]
    if not sensitive:
        if not form.has_label_data and SENSITIVE.search(form.full_text):
            present = bool(PREFER_NOT.search(form.full_text))
            return Check(
                "prefer_not_to_say",
                "present" if present else "missing",
                "Sensitive questions offer 'prefer not to say'."
                if present
                else "Sensitive questions are asked without a 'prefer not to say' answer.",
            )
        return Check("prefer_not_to_say", "not_applicable", "No sensitive questions found.")
    lacking = []
    for question in sensitive:
        if question.kind == "free_text":
            if question.required:
                lacking.append(question)
            continue
        if not any(PREFER_NOT.search(option) for option in question.options or ()):
            lacking.append(question)
    if lacking:
        hidden = any(q.options is None for q in lacking)
        note = (
            " (some answers come from coded lists Attune cannot see; check them)" if hidden else ""
        )
        return Check(
            "prefer_not_to_say",
            "missing",
            f"No 'prefer not to say' answer on {_names(lacking)}{note}.",
        )
    return Check("prefer_not_to_say", "present", "Every sensitive question can be declined.")


def check_legal_name_reason(form: FormModel) -> Check:
    """Report whether a legal name, when asked, comes with the reason it is needed."""
    legal = _matching(form, LEGAL_NAME)
    if not legal and not form.has_label_data:
        legal_text = LEGAL_NAME.search(form.full_text)
        if legal_text:
            window = form.full_text[legal_text.start() : legal_text.end() + 200]
            reason = bool(LEGAL_NAME_REASON.search(window))
            return Check(
                "legal_name_reason",
                "present" if reason else "missing",
                "The legal name comes with the reason it is needed."
                if reason
                else "A legal name is asked without saying why it is needed.",
            )
    if legal:
        unexplained = [q for q in legal if not LEGAL_NAME_REASON.search(q.text)]
        if unexplained:
            return Check(
                "legal_name_reason",
                "missing",
                f"Legal name is asked without a reason: {_names(unexplained)}; say why "
                "(for example, 'only for insurance billing').",
            )
        return Check(
            "legal_name_reason", "present", "The legal name comes with the reason it is needed."
        )
    name_fields = [q for q in form.questions if NAME_FIELD.search(q.text)]
    if name_fields and not _asked(form, CHOSEN_NAME):
        return Check(
            "legal_name_reason",
            "missing",
            f"The form asks {_names(name_fields)} as the only name, with no reason and no chosen "
            "name; label it 'legal name', say why it is needed, and ask the name the client uses.",
        )
    return Check("legal_name_reason", "not_applicable", "No legal name is asked.")


def check_labels(form: FormModel) -> Check:
    """Report whether every HTML form control has a programmatic label."""
    if not form.has_label_data or not any(
        q.source in {"input", "select", "textarea", "radio", "checkbox"} for q in form.questions
    ):
        return Check("labels", "not_applicable", "Only HTML forms carry label markup.")
    unlabelled = [q for q in form.questions if not q.labelled]
    if unlabelled:
        return Check(
            "labels",
            "missing",
            f"Controls without a label (screen readers cannot name them): {_names(unlabelled)}.",
        )
    return Check("labels", "present", "Every control has a label.")


CHECKS: tuple[Callable[[FormModel], Check], ...] = (
    check_chosen_name,
    check_pronouns,
    check_gender_options,
    check_race_ethnicity,
    check_language,
    check_interpreter,
    check_accessibility,
    check_prefer_not_to_say,
    check_legal_name_reason,
    check_labels,
)


def run_checks(form: FormModel, profile: str) -> list[Check]:
    """Run every structural check; only forms are checked, other profiles get not_applicable."""
    if profile != "forms":
        return [
            Check(name, "not_applicable", f"Structural checks apply to forms, not {profile}.")
            for name in CHECK_NAMES
        ]
    if not form.is_form:
        return [
            Check(name, "not_applicable", "No form questions were found in this input.")
            for name in CHECK_NAMES
        ]
    return [check(form) for check in CHECKS]
