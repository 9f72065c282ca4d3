"""The instruments that ship with Attune: complete, bilingual, and honest about validation."""

from __future__ import annotations

import pytest

from attune.measures.bundled import bundled_instrument_names, load_bundled_instrument
from attune.measures.errors import InstrumentError
from attune.measures.goals import CLIENT_NAMED_GOALS_LIMIT, goals_checkin
from attune.measures.instrument import ItemType
from attune.measures.scoring import score

pytestmark = pytest.mark.pure


def test_it_bundles_exactly_the_public_domain_and_attune_instruments():
    assert bundled_instrument_names() == ("gad7", "goals-checkin", "phq9", "session-checkin")


@pytest.mark.parametrize("name", ["session-checkin", "goals-checkin"])
def test_it_has_english_and_spanish_for_every_text_of_attunes_own(name):
    instrument = load_bundled_instrument(name)
    assert {"en", "es"} <= set(instrument.languages())
    assert instrument.title.translations["es"]
    for item in instrument.all_items():
        assert item.text is not None and "es" in item.text.translations, item.link_id
        for option in item.options:
            assert "es" in option.display.translations, (item.link_id, option.code)
    for band in instrument.scoring.bands:
        assert "es" in band.label.translations


@pytest.mark.parametrize("name", ["phq9", "gad7"])
def test_it_carries_no_home_made_translation_of_a_validated_measure(name):
    # Only an official translation, reproduced exactly, may be added (docs/translations.md).
    instrument = load_bundled_instrument(name)
    assert instrument.validated is True
    assert instrument.languages() == ("en",)


@pytest.mark.parametrize("name", ["session-checkin", "goals-checkin"])
def test_it_asks_attunes_own_checkins_in_arabic_too(name):
    instrument = load_bundled_instrument(name)
    assert "ar" in instrument.title.translations
    for item in instrument.all_items():
        assert "ar" in item.text.translations, item.link_id


def test_it_scores_phq9_bands_at_their_edges():
    phq9 = load_bundled_instrument("phq9")
    codes = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    expected = {
        0: "minimal",
        4: "minimal",
        5: "mild",
        9: "mild",
        10: "moderate",
        14: "moderate",
        15: "moderately severe",
        19: "moderately severe",
        20: "severe",
        27: "severe",
    }
    for total, band in expected.items():
        weights = [3] * (total // 3) + ([total % 3] if total % 3 else [])
        weights += [0] * (9 - len(weights))
        answers = {f"phq9-{n}": codes[w] for n, w in enumerate(weights, start=1)}
        result = score(phq9, answers)
        assert (result.total, result.band) == (total, band)


def test_it_scores_gad7_bands_and_range():
    gad7 = load_bundled_instrument("gad7")
    assert gad7.total_range() == (0, 21)
    assert [(b.minimum, b.maximum, b.label.default) for b in gad7.scoring.bands] == [
        (0, 4, "minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 21, "severe"),
    ]


def test_it_marks_only_phq9_item_9_as_a_safety_item():
    phq9 = load_bundled_instrument("phq9")
    assert [item.link_id for item in phq9.all_items() if item.safety] == ["phq9-9"]
    assert phq9.scoring.reliable_change.threshold_points() == 6
    assert load_bundled_instrument("gad7").scoring.reliable_change.threshold_points() == 4


@pytest.mark.parametrize("name", ["session-checkin", "goals-checkin"])
def test_it_labels_attunes_own_check_ins_as_not_validated(name):
    instrument = load_bundled_instrument(name)
    assert instrument.validated is False
    assert "Not validated" in instrument.description


def test_it_shapes_the_session_check_in_as_two_subscales_and_a_comment():
    checkin = load_bundled_instrument("session-checkin")
    assert [s.name for s in checkin.scoring.subscales] == ["alliance", "humility"]
    assert all(len(s.items) == 4 for s in checkin.scoring.subscales)
    assert checkin.item("comment").type is ItemType.TEXT
    assert checkin.total_range() == (0, 10)
    assert checkin.scoring.direction == "higher_is_better"


def test_it_builds_a_goals_check_in_in_the_clients_own_words():
    instrument = goals_checkin(["Sleep through the night", "Call my sister every week"])
    first = instrument.item("goal-1")
    assert first.text.default == "How far along am I with: Sleep through the night"
    assert first.text.in_language("es") == "Cuánto he avanzado en: Sleep through the night"
    assert instrument.scoring.items == ("goal-1", "goal-2")
    assert instrument.key == load_bundled_instrument("goals-checkin").key
    result = score(instrument, {"goal-1": 4, "goal-2": 7})
    assert result.total == 5.5
    only_one = score(instrument, {"goal-2": 7})
    assert (only_one.total, only_one.prorated) == (7, True)


def test_it_limits_client_named_goals_to_three_without_a_plan():
    goals = [f"Goal {n}" for n in range(CLIENT_NAMED_GOALS_LIMIT + 1)]
    with pytest.raises(InstrumentError, match="at most 3 goals"):
        goals_checkin(goals, from_plan=False)
    assert len(goals_checkin(goals).scoring.items) == 4
    with pytest.raises(InstrumentError, match="at least one goal"):
        goals_checkin(["  "])


def test_it_refuses_an_unknown_bundled_name():
    with pytest.raises(InstrumentError, match="no bundled instrument 'ors'"):
        load_bundled_instrument("ors")
