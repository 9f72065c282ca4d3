"""Property tests: random names, emails, phones and dates embedded in random text are always
removed, and a de-identified text passes the server's check."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from attune.supervision.deidentify import Identifiers, deidentify, find_identifiers, fold

pytestmark = pytest.mark.pure

TODAY = date(2026, 1, 10)
FILLER = (
    "the client said she felt unheard at work and at home we talked about family hopes "
    "faith school language respect anger grief a long week it was hard to ask for help"
).split()
SYLLABLES = ["ka", "lo", "mi", "ren", "zu", "to", "va", "nel", "si", "quo", "bex", "dra", "yu"]
ACCENTS = str.maketrans("aeiou", "áéíóú")

syllable_names = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=4).map("".join)


@st.composite
def person(draw):
    given_name = draw(syllable_names)
    family = draw(syllable_names)
    assume(given_name != family)
    for word in (given_name, family):
        assume(not any(word in filler or filler in word for filler in FILLER if len(filler) > 2))
    return given_name.capitalize(), family.capitalize()


@st.composite
def written_name(draw, name):
    given_name, family = name
    form = draw(
        st.sampled_from(
            [
                given_name,
                family,
                f"{given_name} {family}",
                f"{given_name}'s",
                f"{given_name[0]}. {family}",
                given_name.upper(),
                given_name.lower(),
                given_name.translate(ACCENTS),
                f"{given_name.lower()}{family.lower()}{draw(st.integers(1, 99))}",
            ]
        )
    )
    return form


def date_forms(value: date) -> list[str]:
    return [
        value.isoformat(),
        f"{value.month}/{value.day}/{value.year}",
        value.strftime("%d %B %Y"),
        value.strftime("%B %d, %Y"),
    ]


@settings(max_examples=150, deadline=None)
@given(
    name=person(),
    data=st.data(),
    digits=st.integers(2_000_000_000, 9_999_999_999),
    birth=st.dates(date(1930, 1, 1), date(2015, 12, 31)),
    event=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    offset=st.integers(21, 182).flatmap(lambda d: st.sampled_from([d, -d])),
    before=st.lists(st.sampled_from(FILLER), max_size=12).map(" ".join),
    after=st.lists(st.sampled_from(FILLER), max_size=12).map(" ".join),
)
def test_random_identifiers_in_random_text_are_always_removed(
    name, data, digits, birth, event, offset, before, after
):
    given_name, family = name
    # A date on the client's birthday is removed as the date of birth, not shifted.
    assume((event.month, event.day) not in {(birth.month, birth.day), (birth.day, birth.month)})
    email = f"{given_name.lower()}.{family.lower()}{digits % 100}@example.org"
    phone = f"{str(digits)[:3]}-{str(digits)[3:6]}-{str(digits)[6:]}"
    ids = Identifiers(
        client_names=(f"{given_name} {family}",),
        emails=(email,),
        phones=(phone,),
        birth_date=birth,
    )
    forms = [data.draw(written_name(name)) for _ in range(2)]
    birth_written = data.draw(st.sampled_from(date_forms(birth)))
    event_written = data.draw(st.sampled_from(date_forms(event)))
    text = (
        f"{before} {forms[0]} wrote from {email}, phone {phone}. Born {birth_written}; "
        f"seen {event_written}. {forms[1]} {after}"
    )
    result = deidentify(text, ids, day_offset=offset, today=TODAY)
    out = fold(result.text)
    for secret in (given_name, family, email, phone, str(digits)[-7:], *date_forms(birth)):
        assert fold(secret) not in out, (secret, result.text)
    assert birth_written not in result.text and event_written not in result.text
    shifted = [r for r in result.replacements if r.kind == "date"]
    assert len(shifted) == 1 and shifted[0].original == event_written
    assert find_identifiers(result.text, ids, exact_ages=True, today=TODAY) == []


@settings(max_examples=100, deadline=None)
@given(
    first=st.dates(date(2001, 1, 1), date(2029, 12, 31)),
    gap=st.integers(0, 400),
    offset=st.integers(21, 182).flatmap(lambda d: st.sampled_from([d, -d])),
)
def test_intervals_between_dates_stay_true(first, gap, offset):
    second = first + timedelta(days=gap)
    text = f"From {first.isoformat()} to {second.isoformat()}."
    result = deidentify(text, Identifiers(), day_offset=offset, today=TODAY)
    new = [date.fromisoformat(r.text) for r in result.replacements]
    assert new == [first + timedelta(days=offset), second + timedelta(days=offset)]
    assert (new[1] - new[0]).days == gap
