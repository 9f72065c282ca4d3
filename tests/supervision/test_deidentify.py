"""The de-identification engine on identifiers in usual and unusual forms."""

from __future__ import annotations

from datetime import date

import pytest

from attune.supervision.deidentify import (
    Identifiers,
    age_range,
    dates_in,
    deidentify,
    find_identifiers,
    name_variants,
)

pytestmark = pytest.mark.pure

TODAY = date(2026, 1, 10)
MARIA = Identifiers(
    client_names=("María Elena López", "Mari", "Maria Elena Lopez Garcia"),
    other_names=("Rosa López", "Tomás Herrera"),
    emails=("maria.lopez88@example.org",),
    phones=("+1 (312) 555-0142",),
    birth_date=date(1987, 3, 15),
    places=("742 Evergreen Terrace, Springfield, IL 62704", "Lincoln High School"),
)


def run(text: str, offset: int = -47):
    return deidentify(text, MARIA, day_offset=offset, today=TODAY)


@pytest.mark.parametrize(
    "written",
    [
        "María",
        "Maria",
        "MARIA",
        "maria",
        "María's",
        "Maria’s",
        "López",
        "LOPEZ",
        "Mari",
        "Marita",
        "Mariita",
        "Mary",
        "M. López",
        "M Lopez",
        "Lopez, M.",
        "M.L.",
        "Maria Elena",
        "María López García",
        "MariaLopez",
        "maria_lopez",
        "mlopez88",
        "Garcia",
    ],
)
def test_it_removes_the_clients_name_in_any_form(written):
    result = run(f"Last week {written} told me about the move.")
    folded = result.text.casefold()
    assert "[client]" in folded
    for part in ("mar", "lop", "garc"):
        assert part not in folded.replace("[client]", ""), result.text


def test_it_keeps_possessives_and_explains_each_replacement():
    result = run("María's mother Rosa López called; Marita cried.")
    assert result.text == "[Client]'s mother [Person 1] called; [Client] cried."
    reasons = {r.original: r.reason for r in result.replacements}
    assert reasons["Marita"] == "a nickname or short form of a name of the client"
    assert "someone in the client's record" in reasons["Rosa López"]


def test_everyday_words_that_are_names_stay_unless_capitalised():
    ids = Identifiers(client_names=("Hope Rivers",))
    result = deidentify("I hope Hope feels better.", ids, day_offset=30, today=TODAY)
    assert result.text == "I hope [Client] feels better."


def test_it_leaves_words_that_only_contain_a_name():
    assert run("A mariachi band played.").text == "A mariachi band played."


@pytest.mark.parametrize(
    ("written", "placeholder"),
    [
        ("maria.lopez88@example.org", "[email]"),
        ("MARIA.LOPEZ88@EXAMPLE.ORG", "[email]"),
        ("someone.else@clinic.example", "[email]"),
        ("maria (at) example (dot) org", "[email]"),
        ("312-555-0142", "[phone]"),
        ("(312) 555 0142", "[phone]"),
        ("+1 312 555 0142", "[phone]"),
        ("3125550142", "[phone]"),
        ("@marilopez", "[username]"),
        ("742 Evergreen Terrace", "[place]"),
        ("88 Oak Street, Apt 4B", "[address]"),
        ("Calle del Olmo 12", "[address]"),
        ("SW1A 1AA", "[postcode]"),
        ("zip 60614", "[postcode]"),
        ("Springfield", "[place]"),
        ("Lincoln High School", "[place]"),
    ],
)
def test_it_removes_contacts_addresses_and_places(written, placeholder):
    result = run(f"Noted: {written}. Then we met.")
    assert placeholder in result.text
    assert written not in result.text


@pytest.mark.parametrize(
    "written",
    [
        "03/15/1987",
        "3/15/87",
        "15.03.1987",
        "1987-03-15",
        "15 March 1987",
        "March 15th, 1987",
        "15 de marzo de 1987",
        "19870315",
        "March 15",
    ],
)
def test_it_removes_the_date_of_birth_in_any_format(written):
    result = run(f"DOB {written}.")
    assert result.text == "DOB [date of birth]."


def test_it_shifts_dates_by_the_offset_keeping_the_format_and_intervals():
    result = run("Seen 12 March 2024, again 2024-04-02 and 4/9/2024, then May 1st.", offset=-47)
    # May 1st moved back 47 days lands on the client's birthday (15 March), so it would read as
    # the date of birth: it is withheld rather than shown.
    assert result.text == "Seen 25 January 2024, again 2024-02-15 and 2/22/2024, then [a date]."
    result = run("Vino el 3 de mayo de 2024.", offset=10)
    assert result.text == "Vino el 13 de mayo de 2024."


def test_ages_become_ranges():
    assert run("A 34-year-old, aged 91, was 7 years old.").text == (
        "A [age 30–39], [age 90 or over], was [age 0–9]."
    )
    assert age_range(19) == "[age 10–19]"


def test_find_identifiers_names_what_is_left_and_passes_a_clean_text():
    clean = run("María (DOB 03/15/1987) wrote from maria.lopez88@example.org.").text
    assert find_identifiers(clean, MARIA, exact_ages=True) == []
    found = find_identifiers("Then Mari said hello; call 312 555 0142.", MARIA)
    assert [(f.kind, f.found) for f in found] == [("name", "Mari"), ("phone", "312 555 0142")]


def test_dates_in_lists_dates_as_written():
    assert dates_in("On 2024-01-02 and March 3, 2024.", today=TODAY) == [
        "2024-01-02",
        "March 3, 2024",
    ]


def test_name_variants_include_nicknames_and_diminutives():
    assert {"lupe", "lupita"} <= name_variants("Guadalupe")
    assert {"juanito", "juancito"} <= name_variants("Juan")
    assert "elizabeth" in name_variants("Liz")


def test_other_scripts_and_accents_are_matched():
    ids = Identifiers(client_names=("Dương Thị Hoa", "Zoë-Ann O'Brien"))
    result = deidentify(
        "DUONG and Duong Thi Hoa met Zoe-Ann OBrien and zoë-ann o’brien.",
        ids,
        day_offset=20,
        today=TODAY,
    )
    assert "uong" not in result.text.lower() and "brien" not in result.text.lower()
