"""De-identification of case presentations: pure Python, no Django.

Given the identifiers known about one client (names, contacts, date of birth, places) and a
text, ``deidentify`` returns the text with every identifier it recognises replaced by a stable
placeholder, every date shifted by the presentation's offset (so intervals stay true) and every
exact age given as a ten-year range.  ``find_identifiers`` checks a text that should already be
de-identified and lists what still identifies the client; the server runs it again before a case
or a reply is stored.

Names are matched on a folded copy of the text (case-insensitive, accents stripped, curly
apostrophes made straight) whose characters map back to the original, so "MARÍA", "maria" and
"Maria's" are all found.  Name forms include nicknames and diminutives, names glued into
usernames and email addresses, and initials with the surname.

This is a safety net, not a guarantee: it only knows the identifiers it is given and a set of
patterns; the presenter stays responsible for what they post.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

CLIENT = "[Client]"

# Letters that Unicode decomposition does not turn into a base letter and a mark.
_EXTRA_FOLDS = {
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "æ": "ae",
    "œ": "oe",
    "ı": "i",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "‐": "-",
    "‑": "-",
}

# Name forms that are also everyday words: matched only when written with a capital letter.
EVERYDAY_WORDS = frozenset(
    """
    hope will may june april august grace joy faith rose mark bill art dawn eve sunny summer
    autumn rich page hunter lane pat sue ray sky amber ruby pearl ivy holly lily daisy jade
    angel max guy jack frank ernest don dean drew chase cash gene sandy robin iris heather
    paz luz sol rosa mar pilar soledad consuelo mercedes angeles rocio amparo esperanza alegria
    cruz concepcion lucero dolores reina blanca clara victoria rey leon bob rob sam ben
    """.split()
)

# Particles that are part of a name but never identify anyone alone.
PARTICLES = frozenset(
    """de la las los del da das do dos di du van von der den ten ter bin ibn bint al el y e
    le""".split()
)

# Common nicknames and diminutives, in groups of forms of one name (English and Spanish first,
# as most of the agency's clients use them; more can be added).
NICKNAME_GROUPS = [
    "maria mari mary marie marita mariita maruja mariquita maya mia",
    "elizabeth elisabeth liz lizzie lizzy beth betty betsy eliza elsa",
    "isabel isabella bella chabela isa",
    "robert roberto rob robbie bob bobby bert beto",
    "william will willie billy bill liam guillermo memo",
    "jose pepe chepe josesito joselito",
    "francisco paco pancho frank frankie cisco",
    "francisca paquita pancha",
    "guadalupe lupe lupita",
    "jesus chucho chuy",
    "alejandro alex ale alejo",
    "alejandra alex ale sandra",
    "alexander alex xander sasha sacha",
    "alexandra alex alexa sasha sandra lexi",
    "margaret maggie meg peggy greta marge margarita rita",
    "katherine catherine kathryn kate katie kathy cathy kat catalina cata",
    "jennifer jen jenny",
    "jessica jess jessie",
    "rebecca becca becky",
    "victoria vicky tori",
    "christopher chris topher cristobal",
    "christina christine chris tina cristina",
    "michael mike mikey mick miguel miguelito",
    "nicholas nick nicky nico nicolas",
    "anthony tony antonio toño tono",
    "richard rick ricky dick ricardo richie",
    "james jim jimmy jamie diego santiago",
    "john johnny jack juan juanito juancho",
    "joseph joe joey",
    "thomas tom tommy tomas",
    "daniel dan danny dani",
    "samuel sam sammy",
    "samantha sam sammy",
    "benjamin ben benny benji",
    "edward ed eddie ted teddy eduardo lalo",
    "gerardo jerry gera",
    "ignacio nacho",
    "enrique kike quique",
    "manuel manolo manny",
    "rafael rafa",
    "fernando fer nando",
    "eduarda duda",
    "dolores lola lolita",
    "rosario chayo charo",
    "consuelo chelo",
    "concepcion concha conchita",
    "mercedes meche",
    "graciela chela",
    "josefina fina pepa pepita",
    "ana anita annie ann anna",
    "susan sue susie suzy susana",
    "patricia patty pat tricia paty",
    "beatriz bea",
    "teresa tere terry tessa",
    "carmen carmencita menchu carmela",
    "luis lucho",
    "pedro perico",
    "andres andy",
    "andrea andy",
    "zoe zoey",
    "nguyet",
    "oluwaseun seun",
    "ifeoma ify",
]
_NICKNAMES: dict[str, set[str]] = {}
for _group in NICKNAME_GROUPS:
    _forms = _group.split()
    for _form in _forms:
        _NICKNAMES.setdefault(_form, set()).update(_forms)

_LETTER = r"[^\W\d_]"
_BEFORE = rf"(?<!{_LETTER})"
_AFTER = rf"(?!{_LETTER})"
_JOIN = r"[\s'\-._]*"

MONTHS_EN = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS_ES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
_MONTH_NUMBER = {name: n for n, name in enumerate(MONTHS_EN, 1)} | {
    name: n for n, name in enumerate(MONTHS_ES, 1)
}
_MONTH_NUMBER |= {name[:3]: n for n, name in enumerate(MONTHS_EN, 1)}
_MONTH_NUMBER["sept"] = 9
_MONTH_NUMBER["setiembre"] = 9
_MONTH_RE = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))


@dataclass(frozen=True)
class Identifiers:
    """What is known about one client: every form found in the record, plus what the presenter
    added (other people's names, places).  Plain values, so the engine needs no database."""

    client_names: tuple[str, ...] = ()
    other_names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    birth_date: date | None = None
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class Replacement:
    """One replacement: where it sits in the output, what it was (for the presenter only)."""

    start: int
    end: int
    kind: str
    text: str
    original: str
    reason: str


@dataclass(frozen=True)
class Finding:
    """An identifier still present in a text that should be de-identified."""

    kind: str
    found: str
    reason: str


@dataclass
class Result:
    text: str
    replacements: list[Replacement] = field(default_factory=list)

    def segments(self) -> Iterator[tuple[str, Replacement | None]]:
        """Yield (text, replacement or None) pieces, for a preview that highlights changes."""
        at = 0
        for item in self.replacements:
            if item.start > at:
                yield self.text[at : item.start], None
            yield self.text[item.start : item.end], item
            at = item.end
        if at < len(self.text):
            yield self.text[at:], None

    def reasons(self) -> list[tuple[str, str, int]]:
        """Return (placeholder or new text, reason, how many times), in order of first use."""
        counted: dict[tuple[str, str], int] = {}
        for item in self.replacements:
            key = (item.text if item.kind != "date" else "dates", item.reason)
            counted[key] = counted.get(key, 0) + 1
        return [(text, reason, count) for (text, reason), count in counted.items()]


# ----- folding -------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Return ``text`` folded for matching: lower case, no accents, straight apostrophes."""
    return _fold_with_map(text)[0]


def _fold_char(char: str) -> str:
    char = _EXTRA_FOLDS.get(char, char)
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(_EXTRA_FOLDS.get(c, c) for c in base)


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    pieces: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        index.extend([position] * len(folded))
    index.append(len(text))
    return "".join(pieces), index


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^\w']+|_", fold(name)) if w.strip("'")]


# ----- name forms ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Form:
    pattern: str  # regex on the folded text
    placeholder: str
    reason: str
    capital: bool  # must start with a capital letter in the original text
    weight: int  # longer forms first


def _phrase_pattern(words: list[str]) -> str:
    parts = []
    for word in words:
        bits = [re.escape(bit) for bit in word.split("'") if bit]
        parts.append("'?".join(bits))
    return _BEFORE + _JOIN.join(parts) + _AFTER


def name_variants(name: str) -> set[str]:
    """Return nicknames and diminutives of one given name or surname (folded forms)."""
    word = fold(name).replace("'", "")
    forms = set(_NICKNAMES.get(word, ()))
    for nickname, group in _NICKNAMES.items():
        if word in group:
            forms.add(nickname)
    if len(word) >= 4 and word.isalpha():
        stem = word[:-1] if word[-1] in "aeio" else word
        forms.update(stem + suffix for suffix in ("ita", "ito", "ina", "ini", "illa", "illo"))
        if word.endswith(("ia", "io")):
            forms.update(word[:-2] + suffix for suffix in ("ita", "ito"))
        if word[-1] not in "aeiou":
            forms.update(word + suffix for suffix in ("cito", "cita", "ito", "ita", "ie", "y"))
        else:
            forms.update((word + "y", stem + "ie", stem + "y"))
        if len(word) >= 6:
            forms.add(word[:4])
    forms.discard(word)
    return {form for form in forms if len(form) >= 3}


def _name_forms(identifiers: Identifiers) -> list[_Form]:
    forms: list[_Form] = []
    seen: set[str] = set()

    def add(words: list[str], placeholder: str, reason: str, capital: bool = False) -> None:
        key = " ".join(words)
        if not words or key in seen or len(key.replace(" ", "")) < 2:
            return
        seen.add(key)
        single = len(words) == 1
        capital = capital or (single and (key in EVERYDAY_WORDS or len(key) <= 2))
        forms.append(_Form(_phrase_pattern(words), placeholder, reason, capital, len(key)))

    people: list[tuple[str, str, str]] = [
        (n, CLIENT, "the client") for n in identifiers.client_names
    ]
    for number, name in enumerate(_distinct(identifiers.other_names), 1):
        people.append((name, f"[Person {number}]", "someone in the client's record"))
    # Whole names first (client before others), then each part, then nicknames.
    for name, placeholder, whose in people:
        add(_words(name), placeholder, f"a name of {whose}")
    for name, placeholder, whose in people:
        words = [w for w in _words(name) if w not in PARTICLES]
        for word in words:
            add([word], placeholder, f"part of a name of {whose}")
            if "'" in word:
                add([word.replace("'", "")], placeholder, f"part of a name of {whose}")
        if len(words) >= 2:
            add(words[:1] + words[-1:], placeholder, f"a name of {whose}")
    for name, placeholder, whose in people:
        for word in _words(name):
            if word in PARTICLES:
                continue
            for variant in sorted(name_variants(word)):
                add([variant], placeholder, f"a nickname or short form of a name of {whose}", True)
    forms.sort(key=lambda form: -form.weight)
    return forms


def _distinct(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name and name.strip() and fold(name.strip()) not in {fold(n) for n in out}:
            out.append(name.strip())
    return out


def _client_tokens(identifiers: Identifiers) -> list[list[str]]:
    return [
        [w for w in _words(name) if w not in PARTICLES and len(w.replace("'", "")) >= 2]
        for name in identifiers.client_names
    ]


# ----- the matcher ---------------------------------------------------------------------------


class _Spans:
    """Chosen spans of the original text; a later candidate that overlaps one is dropped."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int, str, str, str]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, *_ in self.items)

    def add(self, start: int, end: int, kind: str, text: str, reason: str) -> bool:
        if start >= end or not self.free(start, end):
            return False
        self.items.append((start, end, kind, text, reason))
        return True


_EMAIL = re.compile(
    r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}"
    r"|[\w.+\-]+\s*[\(\[]at[\)\]]\s*[\w\-]+\s*[\(\[]dot[\)\]]\s*[^\W\d_]{2,}"
    r"|[\w.+\-]+ at [\w\-]+ dot (?:com|org|net|edu|gov|mx|es|co|uk|us|ca|io)\b",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"\[(?:Client|Person \d+|email|phone|username|web address|address|postcode|place"
    r"|a date|date of birth|year of birth|age \d+–\d+|age 90 or over)\]"
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][\w.]{1,30}")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\s?\d{1,3}[\s.\-]?)?(?:\(\d{1,4}\)[\s.\-]?)?\d{1,5}(?:[\s.\-]?\d{1,5}){0,5}(?!\w)"
)
_STREET_TYPES = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    r"terrace|ter|close|crescent|cres|highway|hwy|parkway|pkwy|circle|cir|square|sq|alley|row"
)
_STREET = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[^\W\d_][\w'’.\-]*\s+){{0,4}}?(?:{_STREET_TYPES})\b\.?"
    r"(?:,?\s*(?:apt|apartment|unit|suite|ste|flat|#)\.?\s*#?\s*\w+)?"
    r"|\b(?:calle|c/|avenida|avda\.?|av\.|paseo|plaza|camino|carrera|carretera|rua)\s+"
    r"(?:[^\W\d_][\w'’.\-]*\s+){0,4}?(?:n[º°o]\.?\s*)?\d{1,5}[A-Za-z]?\b"
    r"|\bP\.?\s?O\.?\s+Box\s+\d+",
    re.IGNORECASE,
)
_POSTCODE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"  # United Kingdom
    r"|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"  # Canada
    r"|\b\d{5}-\d{4}\b"  # United States, ZIP+4
    r"|(?<=\b[A-Z]{2}\s)\d{5}\b|(?<=\b[A-Z]{2},\s)\d{5}\b"  # after a state code
    r"|(?i:(?<=zip\s)|(?<=zip:\s)|(?<=zip code\s)|(?<=postcode\s)|(?<=postal code\s)"
    r"|(?<=c\.p\.\s)|(?<=cp\s)|(?<=código postal\s))[A-Z0-9]{3,4}\s?[A-Z0-9]{0,4}\b"
)
_AGE = re.compile(
    r"\b(?P<n>\d{1,3})(?:\s|-)?(?:years?|yrs?)(?:\s|-)?old\b"
    r"|\b(?P<n2>\d{1,3})-year-old\b"
    r"|(?<!\[)\baged?\s+(?P<n3>\d{1,3})\b"
    r"|\b(?P<n4>\d{1,3})\s?y/?o\b"
    r"|\b(?P<n5>\d{1,3})\s+años\b",
    re.IGNORECASE,
)
_HONORIFIC = re.compile(
    r"\b(?:Mr|Mrs|Ms|Mx|Dr|Miss|Sr|Sra|Srta|Doña|Don)\.?\s+(?P<name>[A-Z][\w'’\-]+)"
)

_ORD = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = [
    ("ymd", re.compile(r"\b(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})\b")),
    (
        "numeric",
        re.compile(r"\b(?P<a>\d{1,2})(?P<s>[/.\-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})\b"),
    ),
    (
        "d_month_y",
        re.compile(
            rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+|de\s+)?(?P<mon>{_MONTH_RE})\.?,?"
            rf"\s+(?:de(?:l)?\s+)?(?P<y>\d{{4}})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "month_d_y",
        re.compile(
            rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "d_month",
        re.compile(
            rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+|de\s+)?(?P<mon>{_MONTH_RE})\b\.?",
            re.IGNORECASE,
        ),
    ),
    (
        "month_d",
        re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}}){_ORD}\b", re.IGNORECASE),
    ),
    (
        "month_y",
        re.compile(
            rf"\b(?P<mon>{_MONTH_RE})\.?,?\s+(?:de(?:l)?\s+)?(?P<y>\d{{4}})\b", re.IGNORECASE
        ),
    ),
]


@dataclass(frozen=True)
class _Date:
    start: int
    end: int
    value: date
    style: str
    match: re.Match
    has_year: bool
    has_day: bool
    day_first: bool = False


def _year(text: str, today: date) -> int:
    value = int(text)
    if len(text) == 2:
        value += 2000 if value <= today.year % 100 else 1900
    return value


def _dates(text: str, today: date, day_first: bool) -> list[_Date]:
    found: list[_Date] = []
    taken: list[tuple[int, int]] = []
    for style, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(not (end <= s or start >= e) for s, e in taken):
                continue
            parsed = _parse_date(style, match, today, day_first)
            if parsed is None:
                continue
            value, has_year, has_day, read_day_first = parsed
            found.append(_Date(start, end, value, style, match, has_year, has_day, read_day_first))
            taken.append((start, end))
    return sorted(found, key=lambda d: d.start)


def _parse_date(style, match, today, day_first):
    groups = match.groupdict()
    try:
        if style == "ymd":
            return date(int(groups["y"]), int(groups["m"]), int(groups["d"])), True, True, False
        if style == "numeric":
            a, b, year = int(groups["a"]), int(groups["b"]), _year(groups["y"], today)
            if a > 12 or (day_first and b <= 12):
                return date(year, b, a), True, True, True
            return date(year, a, b), True, True, False
        month = _MONTH_NUMBER[groups["mon"].lower()]
        if style == "month_y":
            return date(int(groups["y"]), month, 15), True, False, False
        year = int(groups["y"]) if groups.get("y") else today.year
        return date(year, month, int(groups["d"])), bool(groups.get("y")), True, False
    except (ValueError, KeyError):
        return None


def _month_name(original: str, number: int) -> str:
    names = MONTHS_ES if fold(original).rstrip(".") in MONTHS_ES else MONTHS_EN
    name = names[number - 1]
    if names is MONTHS_EN and fold(original).rstrip(".") not in MONTHS_EN:
        name = name[:3]
    if original[:1].isupper():
        name = name.upper() if original.isupper() and len(original) > 1 else name.capitalize()
    return name


def _render_date(found: _Date, value: date) -> str:
    """Write ``value`` the way the original date was written."""
    groups = found.match.groupdict()
    if found.style == "ymd":
        s = groups["s"]
        month = f"{value.month:0{len(groups['m'])}d}"
        return f"{value.year:04d}{s}{month}{s}{value.day:0{len(groups['d'])}d}"
    if found.style == "numeric":
        s = groups["s"]
        year = str(value.year)[-len(groups["y"]) :]
        first, second = (value.day, value.month) if found.day_first else (value.month, value.day)
        return f"{first:0{len(groups['a'])}d}{s}{second:0{len(groups['b'])}d}{s}{year}"
    text = found.match.group(0)
    mon = groups["mon"]
    shifted = text.replace(mon, _month_name(mon, value.month), 1)
    if groups.get("d"):
        d_start = found.match.start("d") - found.match.start()
        d_end = found.match.end("d") - found.match.start()
        new_day = str(value.day)
        offset = len(shifted) - len(text)
        m_start = found.match.start("mon") - found.match.start()
        if m_start < d_start:
            d_start, d_end = d_start + offset, d_end + offset
        suffix_match = re.match(r"(st|nd|rd|th)", shifted[d_end:], re.IGNORECASE)
        tail = shifted[d_end:]
        if suffix_match:
            tail = _ordinal(value.day) + tail[2:]
        shifted = shifted[:d_start] + new_day + tail
    if groups.get("y"):
        y_start = shifted.rfind(groups["y"])
        shifted = shifted[:y_start] + str(value.year) + shifted[y_start + len(groups["y"]) :]
    return shifted


def _ordinal(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def age_range(age: int) -> str:
    """Return an exact age as the ten-year range shown instead (90 and over together)."""
    if age >= 90:
        return "[age 90 or over]"
    low = age // 10 * 10
    return f"[age {low}–{low + 9}]"


def _is_birth_date(found: _Date, birth: date | None) -> bool:
    if birth is None or not found.has_day:
        return False
    if (found.value.month, found.value.day) != (birth.month, birth.day):
        alt = _swapped(found)
        if alt is None or (alt.month, alt.day) != (birth.month, birth.day):
            return False
        return not found.has_year or alt.year == birth.year
    return not found.has_year or found.value.year == birth.year


def _swapped(found: _Date) -> date | None:
    if found.style != "numeric":
        return None
    try:
        return date(found.value.year, found.value.day, found.value.month)
    except ValueError:
        return None


def _birth_date_strings(birth: date) -> list[str]:
    y, m, d = birth.year, birth.month, birth.day
    return [
        f"{y:04d}{m:02d}{d:02d}",
        f"{m:02d}{d:02d}{y:04d}",
        f"{d:02d}{m:02d}{y:04d}",
        f"{m:02d}{d:02d}{y % 100:02d}",
        f"{d:02d}{m:02d}{y % 100:02d}",
    ]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# ----- the engine ----------------------------------------------------------------------------


def _collect(
    text: str,
    identifiers: Identifiers,
    *,
    today: date,
    day_first: bool,
    dates: bool,
    ages: bool,
    honorifics: bool,
    day_offset: int = 0,
) -> tuple[_Spans, list[_Date]]:
    spans = _Spans()
    folded, index = _fold_with_map(text)
    birth = identifiers.birth_date

    def original(fstart: int, fend: int) -> tuple[int, int]:
        return index[fstart], index[fend - 1] + 1

    # 0. Placeholders already in the text stay as they are ("[Person 1]" is not a name).
    for match in _PLACEHOLDER.finditer(text):
        spans.add(*match.span(), "kept", match.group(0), "")

    # 1. Email addresses, web addresses and handles: whole, whatever they contain.
    client_words = {w.replace("'", "") for ws in _client_tokens(identifiers) for w in ws}
    for match in _EMAIL.finditer(text):
        local = fold(match.group(0).split("@")[0])
        named = any(len(w) >= 3 and w in local for w in client_words)
        reason = "an email address" + (" containing the client's name" if named else "")
        spans.add(*match.span(), "email", "[email]", reason)
    for pattern, kind, placeholder in (
        (_URL, "url", "[web address]"),
        (_HANDLE, "handle", "[username]"),
    ):
        for match in pattern.finditer(text):
            spans.add(*match.span(), kind, placeholder, f"a {kind.replace('url', 'web address')}")
    for email in identifiers.emails:
        for match in re.finditer(re.escape(fold(email)), folded):
            spans.add(*original(*match.span()), "email", "[email]", "the client's email address")

    # 2. Dates: the date of birth removed, every other date shifted.
    found_dates = _dates(text, today, day_first)
    for found in found_dates:
        if _is_birth_date(found, birth):
            spans.add(found.start, found.end, "birth_date", "[date of birth]", "the date of birth")
        else:
            # When only checking, dates are held (so no date reads as a phone) but not changed.
            new = text[found.start : found.end]
            if dates:
                shifted = found.value + timedelta(days=day_offset)
                # A shifted date that lands on the birthday would read as the date of birth.
                if birth is not None and (shifted.month, shifted.day) == (birth.month, birth.day):
                    new = "[a date]"
                else:
                    new = _render_date(found, shifted)
            spans.add(found.start, found.end, "date", new, "a date, shifted")
    if birth is not None:
        for compact in _birth_date_strings(birth):
            for match in re.finditer(rf"(?<!\d){compact}(?!\d)", text):
                spans.add(*match.span(), "birth_date", "[date of birth]", "the date of birth")
        for match in re.finditer(rf"(?<!\d){birth.year}(?!\d)", text):
            spans.add(*match.span(), "birth_date", "[year of birth]", "the year of birth")

    # 3. Phone numbers: any run of seven or more digits grouped like a phone number.
    record_phones = {_digits(p)[-7:] for p in identifiers.phones if len(_digits(p)) >= 7}
    for match in _PHONE.finditer(text):
        digits = _digits(match.group(0))
        groups = re.findall(r"\d+", match.group(0))
        looks = 7 <= len(digits) <= 15 and (
            max(len(g) for g in groups) >= 3 or match.group(0).lstrip().startswith(("+", "("))
        )
        if looks or any(p and p in digits for p in record_phones):
            start, end = match.span()
            while start < end and text[start].isspace():
                start += 1
            spans.add(start, end, "phone", "[phone]", "a phone number")

    # 4. Places from the record: the whole place, each part between commas, the street alone.
    for place in identifiers.places:
        for part in _place_parts(place):
            for match in re.finditer(_phrase_pattern(_words(part)), folded):
                spans.add(*original(*match.span()), "place", "[place]", "a place from the record")

    # 5. Street addresses and postcodes.
    for match in _STREET.finditer(text):
        spans.add(*match.span(), "address", "[address]", "a street address")
    for match in _POSTCODE.finditer(text):
        spans.add(*match.span(), "postcode", "[postcode]", "a postcode")

    # 6. Names glued into usernames: "mlopez88", "maria_lopez", "MariaLopez".
    for tokens in _client_tokens(identifiers):
        if len(tokens) >= 2:
            glued = _BEFORE + "[a-z]?" + _JOIN.join(re.escape(t) for t in tokens) + r"\w*"
            for match in re.finditer(glued, folded):
                spans.add(
                    *original(*match.span()), "name", CLIENT, "the client's name run together"
                )
    long_words = [w.replace("'", "") for w in client_words if len(w.replace("'", "")) >= 4]
    for match in re.finditer(r"[^\W_]*(?:[\d_][^\W_]*|[^\W\d_]+\d)[\w]*", folded):
        run = match.group(0)
        if any(word in run for word in long_words) and re.search(r"[\d_]", run):
            spans.add(
                *original(*match.span()), "name", CLIENT, "a username containing the client's name"
            )

    # 7. Initials with the surname ("M. Lopez", "Lopez, M."), and initials alone ("M.L.").
    for tokens in _client_tokens(identifiers):
        if len(tokens) < 2:
            continue
        first, last = tokens[0][0], re.escape(tokens[-1].replace("'", ""))
        for initials in (
            rf"{_BEFORE}{first}\.?\s*(?:[a-z]\.?\s*)?{last}{_AFTER}",
            rf"{_BEFORE}{last},\s*{first}\.(?:\s*[a-z]\.)?",
            rf"{_BEFORE}{first}\.\s?{re.escape(tokens[-1][0])}\.",
        ):
            for match in re.finditer(initials, folded):
                spans.add(*original(*match.span()), "name", CLIENT, "the client's initials")

    # 8. Names and their forms, longest first; the client's own forms before anyone else's.
    for form in _name_forms(identifiers):
        for match in re.finditer(form.pattern, folded):
            start, end = original(*match.span())
            if form.capital and not text[start].isupper():
                continue
            spans.add(start, end, "name", form.placeholder, form.reason)

    # 9. Ages as ranges; a name after a title (Mr, Dr…) as another person.
    if ages:
        for match in _AGE.finditer(text):
            number = int(next(v for k, v in match.groupdict().items() if v))
            spans.add(*match.span(), "age", age_range(number), "an exact age, given as a range")
    if honorifics:
        known: dict[str, str] = {}
        count = len(_distinct(identifiers.other_names))
        for match in _HONORIFIC.finditer(text):
            key = fold(match.group("name"))
            if key not in known:
                count += 1
                known[key] = f"[Person {count}]"
            spans.add(*match.span(), "name", known[key], "a name after a title")
    return spans, found_dates


def _place_parts(place: str) -> list[str]:
    parts = [place.strip()]
    for piece in re.split(r"[,;\n]", place):
        piece = piece.strip()
        if len(fold(piece)) >= 3:
            parts.append(piece)
            without_number = re.sub(r"^\d+\w?\s+|\s+\d+\w?$", "", piece).strip()
            if without_number != piece and len(without_number) >= 4:
                parts.append(without_number)
    return sorted({p for p in parts if p}, key=len, reverse=True)


def deidentify(
    text: str,
    identifiers: Identifiers,
    *,
    day_offset: int,
    today: date,
    day_first: bool = False,
) -> Result:
    """Return ``text`` with the client's identifiers replaced and dates shifted by
    ``day_offset`` days.  Ambiguous numeric dates (3/4/2024) are read month first unless
    ``day_first``."""
    spans, _ = _collect(
        text,
        identifiers,
        today=today,
        day_first=day_first,
        dates=True,
        ages=True,
        honorifics=True,
        day_offset=day_offset,
    )
    out: list[str] = []
    replacements: list[Replacement] = []
    at = 0
    length = 0
    for start, end, kind, new, reason in sorted(spans.items):
        if kind == "kept":
            continue
        out.append(text[at:start])
        length += start - at
        replacements.append(
            Replacement(length, length + len(new), kind, new, text[start:end], reason)
        )
        out.append(new)
        length += len(new)
        at = end
    out.append(text[at:])
    return Result("".join(out), replacements)


def find_identifiers(
    text: str, identifiers: Identifiers, *, exact_ages: bool = False, today: date | None = None
) -> list[Finding]:
    """List what in ``text`` still identifies the client (or is a contact detail of anyone).

    Dates are not reported (they are shifted, or refer to something else), except the date of
    birth in any form.  ``exact_ages`` also reports exact ages.
    """
    spans, _ = _collect(
        text,
        identifiers,
        today=today or date.today(),
        day_first=False,
        dates=False,
        ages=exact_ages,
        honorifics=False,
    )
    return [
        Finding(kind, text[start:end], reason)
        for start, end, kind, _new, reason in sorted(spans.items)
        if kind not in ("date", "kept")
    ]


def dates_in(text: str, *, today: date, day_first: bool = False) -> list[str]:
    """Return every date written in ``text``, as written."""
    return [text[d.start : d.end] for d in _dates(text, today, day_first)]
