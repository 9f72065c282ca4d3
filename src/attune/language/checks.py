"""Structural checks of a whole form: does it let clients say who they are?"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import cache

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

# Every wording the checks look for, as (topics, pattern) pairs in one list. They are compiled
# into a single alternation of named groups, so the questions of a form (and, when needed, its
# whole text) are read in one pass; a match names every topic its wording belongs to ("gender"
# is both a gender question and a sensitive one). Patterns are written in lower case and run on
# lower-cased text; English first, then Spanish. Where two wordings can start at the same
# place the longer one comes first.
_WORDINGS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("chosen_name",),
        r"(?:chosen|preferred|used|everyday|lived)\s+(?:first\s+)?name"
        r"|name\s+(?:that\s+|which\s+)?you(?:\s+would|'d|’d)?\s+(?:like|want|prefer)\s+"
        r"(?:us\s+|staff\s+|people\s+|others\s+|me\s+)?to\s+(?:use|call\s+you)"
        r"|name\s+(?:that\s+|which\s+)?you\s+(?:use|go\s+by|prefer|are\s+called)\b"
        r"|name\s+do\s+you\s+(?:use|go\s+by|prefer)\b"
        r"|name\s+(?:we|staff)\s+should\s+(?:use|call\s+you)"
        r"|(?:what|how)\s+(?:should|do\s+you\s+want|would\s+you\s+like)\s+(?:we|us|staff)\s+"
        r"(?:to\s+)?(?:call|address)\s+you"
        r"|(?:like|want|prefer)\s+to\s+be\s+(?:called|addressed)"
        r"|(?:like|want)\s+(?:us\s+|staff\s+)?to\s+(?:call|address)\s+you"
        r"|call\s+you\s+by|nick\s?name"
        r"|go(?:es)?\s+by\s+(?:another|a\s+different|any\s+other|a)\s+name"
        r"|nombre\s+(?:preferido|elegido|social)"
        r"|nombre\s+que\s+(?:usa|utiliza|prefiere|usas|prefieres)\b"
        r"|nombre\s+con\s+el\s+que\s+(?:quiere|prefiere|le\s+gusta|te\s+gusta)"
        r"|c[oó]mo\s+(?:prefiere|quiere|le\s+gusta|prefieres|quieres|te\s+gusta)\s+que\s+"
        r"(?:le|la|lo|te)\s+llame",
    ),
    (
        ("pronouns",),
        r"pronouns?\b|pronombres?\b"
        r"|(?:she|he|they|ze|xe)\s*/\s*(?:her|him|them|hir|zir|xem)\b",
    ),
    (("orientation", "sensitive"), r"sexual\s+orientation|orientaci[oó]n\s+sexual"),
    (("orientation",), r"orientation|orientaci[oó]n"),
    (("gender", "sensitive"), r"gender\b|sex\b|g[eé]nero\b|sexo\b"),
    (("race", "sensitive"), r"rac(?:e|es|ial)\b|ethnic|raza\b|razas\b|raciales?\b|[eé]tnic"),
    (
        ("accessibility", "language"),
        r"sign\s+language|lengua\s+de\s+se[ñn]as|lenguaje\s+de\s+se[ñn]as",
    ),
    (("language",), r"languages?\b|speak\b|idiomas?\b|lenguas?\b|habla\b"),
    (
        ("interpreter",),
        r"interpret(?:er|ers|ing|ation)?\b|translat(?:or|ors|ion)\b|int[eé]rpretes?\b"
        r"|traduc(?:tor|tora|ci[oó]n)",
    ),
    (("accessibility", "sensitive"), r"disabilit|discapacidad"),
    (
        ("accessibility",),
        r"accessib|accommodat|assistive|large\s+print|mobility\b|wheelchair|screen\s+reader"
        r"|ramps?\b|step[\s-]free|hearing\s+loop|braille|easy\s+read|easier\s+for\s+you"
        r"|accesib|adaptaci[oó]n|adaptaciones|silla\s+de\s+ruedas|letra\s+grande"
        r"|lector\s+de\s+pantalla",
    ),
    (
        ("sensitive",),
        r"religio|religi[oó]n|faith\b|income\b|immigration|citizenship|hiv\b|marital\b"
        r"|criminal\b|arrest|ingresos?\b|inmigraci|ciudadan|estado\s+civil|vih\b"
        r"|antecedentes\s+penales|arresto",
    ),
    # A name "as on your insurance card" carries its own reason.
    (
        ("legal_name", "legal_reason"),
        r"name\s+(?:as\s+it\s+appears\s+)?on\s+(?:your\s+)?(?:insurance|id|license|passport)\b"
        r"|nombre\s+(?:como\s+aparece\s+)?en\s+(?:su\s+)?(?:seguro|identificaci|licencia"
        r"|pasaporte)",
    ),
    (
        ("legal_name",),
        r"legal\s+(?:first\s+|last\s+|full\s+)?name|nombres?\s+(?:completo\s+)?legal",
    ),
    (
        ("legal_reason",),
        r"insurance\b|billing\b|bill\b|claims?\b|required\b|law\b|because\b|so\s+that\b"
        r"|only\s+(?:used|for|where|on)\b|used\s+only\b|to\s+match\b|pharmac|prescription"
        r"|why\s+we\s+ask|seguro\b|facturaci|s[oó]lo\s+(?:para|en)\b|porque\b|requerid"
        r"|exige|ley\b|receta",
    ),
    (("prefer_not",), r"prefer\s+not|rather\s+not|prefiero\s+no|prefiere\s+no"),
)
_TOPIC_GROUPS: dict[str, frozenset[str]] = {
    f"t{number}": frozenset(topics) for number, (topics, _pattern) in enumerate(_WORDINGS)
}
# Tried where a stem starts: one alternation of every wording, each a named group.
_WORDING_PATTERN = "|".join(
    f"(?P<t{number}>{pattern})" for number, (_t, pattern) in enumerate(_WORDINGS)
)
# Every wording above starts with one of these (a wording added above needs its first word
# here). They are compiled into one trie-shaped regex: a pass over the text stops only where
# a word starts with a stem, and only there is the full alternation tried.
_STEMS = (
    "chosen preferred used everyday lived name what how like want prefer call nick go nombre "
    "cómo como pronoun pronombre she he they ze xe sexual orientation orientación orientacion "
    "gender sex género genero sexo rac ethnic raza étnic etnic sign lengua language speak "
    "idioma habla interpret translat intérprete traduc disabilit discapacidad accessib "
    "accommodat assistive large mobility wheelchair screen ramp step hearing braille easy "
    "easier accesib adaptaci silla letra lector religi faith income immigration citizenship "
    "hiv marital criminal arrest ingreso inmigraci ciudadan estado vih antecedentes legal "
    "insurance billing bill claim required law because so only to pharmac prescription why "
    "seguro facturaci solo sólo porque requerid exige ley receta rather prefiero prefiere"
).split()


def _trie(words: list[str]) -> str:
    """Return a regex matching any of the literal words, branching on one character at a time."""
    if words == [""]:
        return ""
    branches: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    parts = [re.escape(char) + _trie(sorted(set(rest))) for char, rest in sorted(branches.items())]
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{body})?" if ends else body


# The non-word character before a stem is consumed rather than looked behind for, so the regex
# engine skips through other words quickly; texts are read with one space in front.
_STEM_PATTERN = r"[\W_]" + _trie(sorted(set(_STEMS)))


@cache
def _finders() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compile the stem finder and the wordings on first use: only forms need them."""
    return re.compile(_STEM_PATTERN), re.compile(_WORDING_PATTERN)


def _wordings_in(text: str):
    """Yield (offset, group name) for each wording in lower-cased text."""
    padded = " " + text
    stem_finder, wording = _finders()
    match_wording = wording.match
    for stem in stem_finder.finditer(padded):
        found = match_wording(padded, stem.start() + 1)
        if found is not None:
            yield found.start() - 1, found.lastgroup


# An answer that lets the client decline, in the wordings forms use.
PREFER_NOT = re.compile(
    r"prefer\s+not|rather\s+not|decline|choose\s+not|not\s+to\s+(?:say|answer|disclose)"
    r"|do\s+not\s+wish|don.t\s+wish|not\s+disclose|\bskip\b"
    r"|don.t\s+want\s+to\s+(?:say|answer)|\bno\s+answer\b"
    r"|prefiero\s+no|prefiere\s+no|no\s+deseo|no\s+quiero|no\s+contestar|no\s+responder",
    re.IGNORECASE,
)
NAME_FIELD = re.compile(
    r"^\s*(?:(?:first|last|middle|full|given|family|sur)\s*name|surname|name"
    r"|nombres?|apellidos?)\b",
    re.IGNORECASE,
)
BINARY_ANSWERS = frozenset(
    {"male", "female", "m", "f", "man", "woman", "boy", "girl"}
    | {"masculino", "femenino", "hombre", "mujer", "h", "varón", "varon"}
)


def topics_of(text: str) -> dict[str, int]:
    """Return each topic the text's wording touches, with the offset of its first mention."""
    found: dict[str, int] = {}
    for offset, group in _wordings_in(text.lower()):
        for topic in _TOPIC_GROUPS[group]:
            found.setdefault(topic, offset)
    return found


class _Reading:
    """What one pass over a form's questions (and, only if needed, its text) found."""

    def __init__(self, form: FormModel) -> None:
        self.form = form
        questions = form.questions
        # Each distinct wording is read once ("Phone", "Gender" recur in a file of many forms):
        # the distinct texts are joined and read in one pass.
        texts = list(dict.fromkeys(question.text for question in questions))
        found: list[set[str]] = [set() for _ in texts]
        if texts:
            joined = "\x00".join(texts).lower()
            starts: list[int] = []
            position = 0
            for text in texts:
                starts.append(position)
                position += len(text) + 1
            for offset, group in _wordings_in(joined):
                found[bisect_right(starts, offset) - 1] |= _TOPIC_GROUPS[group]
        topics_by_text = dict(zip(texts, found, strict=True))
        self._topics_by_id: dict[int, set[str]] = {}
        self.by_topic: dict[str, list[Question]] = {}
        for question in questions:
            topics = topics_by_text[question.text]
            self._topics_by_id[id(question)] = topics
            for topic in topics:
                self.by_topic.setdefault(topic, []).append(question)
        self._text_topics: dict[str, int] | None = None

    def matching(self, topic: str) -> list[Question]:
        return self.by_topic.get(topic, [])

    def touches(self, question: Question, topic: str) -> bool:
        """Whether the question's own wording touches the topic."""
        return topic in self._topics_by_id.get(id(question), ())

    def text_topics(self) -> dict[str, int]:
        """Topics of the whole visible text, read once and only when a check needs them."""
        if self._text_topics is None:
            self._text_topics = topics_of(self.form.full_text)
        return self._text_topics

    def in_text(self, topic: str) -> bool:
        """Whether a form without label markup mentions the topic anywhere in its text."""
        return not self.form.has_label_data and topic in self.text_topics()

    def asked(self, topic: str) -> bool:
        return bool(self.matching(topic)) or self.in_text(topic)


def _names(questions: list[Question], limit: int = 4) -> str:
    unique = list(dict.fromkeys(q.text[:40] for q in questions))
    shown = [f'"{text}"' for text in unique[:limit]]
    more = len(unique) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _presence(name: str, asked: bool, yes: str, no: str) -> Check:
    return Check(name, "present" if asked else "missing", yes if asked else no)


def check_chosen_name(reading: _Reading) -> Check:
    """Report whether the form asks the name the client uses."""
    return _presence(
        "chosen_name",
        reading.asked("chosen_name"),
        "The form asks for the name the client uses.",
        "No question asks for the client's chosen name; add 'Name you use' before any legal name.",
    )


def check_pronouns(reading: _Reading) -> Check:
    """Report whether the form asks the client's pronouns."""
    return _presence(
        "pronouns",
        reading.asked("pronouns"),
        "The form asks for the client's pronouns.",
        "No question asks for pronouns; add an optional free-text 'Pronouns' field.",
    )


def _has_self_describe(question: Question) -> bool:
    return question.kind == "free_text" or question.allows_free_text


def _declines(options: tuple[str, ...] | None) -> bool:
    return options is not None and PREFER_NOT.search("\x00".join(options)) is not None


def check_gender_options(reading: _Reading) -> Check:
    """Report whether gender questions go beyond male/female and allow self-description."""
    questions = [q for q in reading.matching("gender") if not reading.touches(q, "orientation")]
    if not questions:
        if reading.in_text("gender"):
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


def check_race_ethnicity(reading: _Reading) -> Check:
    """Report whether race/ethnicity is multi-select and has a self-describe option."""
    questions = reading.matching("race")
    if not questions:
        if reading.in_text("race"):
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


def check_language(reading: _Reading) -> Check:
    """Report whether the form asks the client's preferred language."""
    return _presence(
        "language_preference",
        reading.asked("language"),
        "The form asks which language the client prefers.",
        "No question asks the client's preferred language.",
    )


def check_interpreter(reading: _Reading) -> Check:
    """Report whether the form asks if the client needs an interpreter."""
    return _presence(
        "interpreter_need",
        reading.asked("interpreter"),
        "The form asks whether the client needs an interpreter.",
        "No question asks whether the client needs an interpreter (spoken or sign language).",
    )


def check_accessibility(reading: _Reading) -> Check:
    """Report whether the form asks about accessibility needs."""
    return _presence(
        "accessibility_needs",
        reading.asked("accessibility"),
        "The form asks about accessibility needs.",
        "No question asks about accessibility needs (access, formats, accommodations).",
    )


def check_prefer_not_to_say(reading: _Reading) -> Check:
    """Report whether every sensitive choice question lets the client decline to answer."""
    sensitive = reading.matching("sensitive")
    if not sensitive:
        if reading.in_text("sensitive"):
            present = PREFER_NOT.search(reading.form.full_text) is not None
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
        if not _declines(question.options):
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


def check_legal_name_reason(reading: _Reading) -> Check:
    """Report whether a legal name, when asked, comes with the reason it is needed."""
    form = reading.form
    legal = reading.matching("legal_name")
    if not legal and reading.in_text("legal_name"):
        offset = reading.text_topics()["legal_name"]
        # The reason may follow the label on the next line or two.
        window = form.full_text[offset : offset + 240]
        reason = "legal_reason" in topics_of(window)
        return Check(
            "legal_name_reason",
            "present" if reason else "missing",
            "The legal name comes with the reason it is needed."
            if reason
            else "A legal name is asked without saying why it is needed.",
        )
    if legal:
        unexplained = [q for q in legal if not reading.touches(q, "legal_reason")]
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
    name_fields = [q for q in form.questions if NAME_FIELD.match(q.text)]
    if name_fields and not reading.asked("chosen_name"):
        return Check(
            "legal_name_reason",
            "missing",
            f"The form asks {_names(name_fields)} as the only name, with no reason and no chosen "
            "name; label it 'legal name', say why it is needed, and ask the name the client uses.",
        )
    return Check("legal_name_reason", "not_applicable", "No legal name is asked.")


def check_labels(reading: _Reading) -> Check:
    """Report whether every HTML form control has a programmatic label."""
    form = reading.form
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


CHECKS: tuple[Callable[[_Reading], Check], ...] = (
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
    """Run every structural check; only forms are checked, other profiles get not_applicable.

    The questions are read once for every topic the checks ask about; the whole text is read
    (once) only when a form without label markup has a topic no question carries.
    """
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
    reading = _Reading(form)
    return [check(reading) for check in CHECKS]
