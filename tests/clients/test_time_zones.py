"""Quiet hours for texts are read where the client lives, not where the agency is.

Numbers are in the fictional 555-01xx range with real area codes, so each has one time zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from attune.clients.forms import ClientForm
from attune.clients.time_zones import client_time_zone, known_time_zone, phone_time_zone
from attune.measures.sms import quiet_until

NEW_YORK = "+1 212 555 0143"
CHICAGO = "(312) 555-0143"
MADRID = "+34 915 550 143"


def test_a_zone_name_is_found_whatever_its_case():
    assert known_time_zone("europe/madrid") == "Europe/Madrid"
    assert known_time_zone("  America/Chicago ") == "America/Chicago"
    assert known_time_zone("Mars/Olympus_Mons") is None
    assert known_time_zone("") is None


def test_a_number_gives_its_zone_only_when_it_has_exactly_one(settings):
    settings.ATTUNE_PHONE_REGION = "US"
    assert phone_time_zone(NEW_YORK) == "America/New_York"
    assert phone_time_zone(CHICAGO) == "America/Chicago"  # national format, read in the US
    assert phone_time_zone(MADRID) == "Europe/Madrid"
    assert phone_time_zone("(555) 555-0142") is None  # not a real area code: no zone
    assert phone_time_zone("+1 800 555 0143") is None  # toll free: no one place
    assert phone_time_zone("not a number") is None
    assert phone_time_zone("") is None


def test_the_clients_own_zone_comes_first_then_the_number_then_the_agency(settings):
    settings.TIME_ZONE = "America/Chicago"
    settings.ATTUNE_PHONE_REGION = "US"
    recorded = SimpleNamespace(time_zone="Europe/Madrid", phone=NEW_YORK)
    by_number = SimpleNamespace(time_zone="", phone=NEW_YORK)
    nothing = SimpleNamespace(time_zone="", phone="")
    assert client_time_zone(recorded) == ZoneInfo("Europe/Madrid")
    assert client_time_zone(by_number) == ZoneInfo("America/New_York")
    assert client_time_zone(nothing) == ZoneInfo("America/Chicago")


def test_the_same_moment_is_night_for_one_client_and_afternoon_for_another(settings):
    settings.ATTUNE_SMS_QUIET_HOURS = "21:00-08:00"
    settings.TIME_ZONE = "America/Chicago"
    moment = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)  # 22:30 in Madrid, 15:30 in Chicago
    madrid = ZoneInfo("Europe/Madrid")
    assert quiet_until(moment, madrid) == datetime(2026, 3, 3, 8, 0, tzinfo=madrid)
    assert quiet_until(moment) is None  # the agency's afternoon


def form(**overrides) -> ClientForm:
    data = {"chosen_name": "Noor", "contact_consent": "sms", "phone": MADRID, **overrides}
    return ClientForm(data)


def test_staff_type_a_zone_in_any_case_and_it_is_stored_in_its_own_spelling():
    typed = form(time_zone="europe/madrid")
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["time_zone"] == "Europe/Madrid"
    left_empty = form()
    assert left_empty.is_valid(), left_empty.errors
    assert left_empty.cleaned_data["time_zone"] == ""


def test_an_unknown_zone_is_refused_with_words_that_say_what_to_type():
    wrong = form(time_zone="Central Time")
    assert not wrong.is_valid()
    assert "such as America/Chicago" in wrong.errors["time_zone"][0]
