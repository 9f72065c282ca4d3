"""Property tests: the scoring engine never crashes and keeps its promises on any answers."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attune.measures.bundled import bundled_instruments
from attune.measures.errors import ResponseError
from attune.measures.instrument import CHOICE_TYPES, Instrument, ItemType
from attune.measures.scoring import score

from .builders import yaml_instrument
from .conftest import (
    GAD7_RESEARCHKIT,
    HAVE_PUBLISHED,
    PHQ9_LHC,
    PHQ9_SDC,
    load_published,
)
from .corpus import corpus_instruments

pytestmark = pytest.mark.pure

# The bundled instruments and the project's own corpus always; the published files when the
# shared fixtures are beside the repository (they are in CI).
INSTRUMENTS: dict[str, Instrument] = {**bundled_instruments(), **corpus_instruments()}
if HAVE_PUBLISHED:
    INSTRUMENTS |= {
        "phq9-lhc": load_published(PHQ9_LHC),
        "phq9-sdc": load_published(PHQ9_SDC),
        "gad7-researchkit": load_published(GAD7_RESEARCHKIT),
    }


def valid_value(item):
    if item.type in CHOICE_TYPES:
        return st.sampled_from([option.code for option in item.options])
    if item.type is ItemType.INTEGER:
        low = int(item.min_value) if item.min_value is not None else -1000
        high = int(item.max_value) if item.max_value is not None else 1000
        return st.integers(low, high)
    if item.type is ItemType.BOOLEAN:
        return st.booleans()
    if item.type is ItemType.DECIMAL:
        return st.floats(
            item.min_value if item.min_value is not None else -1e6,
            item.max_value if item.max_value is not None else 1e6,
            allow_nan=False,
        )
    return st.text(max_size=40)


@st.composite
def instrument_and_answers(draw):
    instrument = INSTRUMENTS[draw(st.sampled_from(sorted(INSTRUMENTS)))]
    answers = {}
    for item in instrument.all_items():
        if item.type in (ItemType.GROUP, ItemType.DISPLAY) or item.is_calculated:
            continue
        if draw(st.booleans()) or draw(st.booleans()):
            answers[item.link_id] = draw(valid_value(item))
    return instrument, answers


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instrument_and_answers())
def test_it_never_crashes_and_keeps_the_total_within_bounds(case):
    instrument, answers = case
    result = score(instrument, answers)
    scored = len(instrument.scoring.items)
    assert result.items_answered + result.items_missing <= scored
    if result.could_not_score is not None:
        assert result.total is None  # never a number the engine does not stand behind
    if result.total is not None:
        assert math.isfinite(result.total)
        if instrument.scoring.items:  # a formula's range (a risk index) is the file's own
            low, high = instrument.total_range()
            assert low <= result.total <= high
    max_missing = instrument.scoring.max_missing
    weighted = bool(instrument.scoring.items)  # else a formula: its inputs are not "items"
    if weighted and (result.items_missing > max_missing or result.items_answered == 0):
        assert result.total is None
        assert result.band is None
    if result.prorated:
        assert 0 < result.items_missing <= max_missing
    if result.items_missing == 0 and result.items_answered:
        assert result.prorated is False
        assert result.total is not None or result.could_not_score
    if result.total is not None and instrument.scoring.bands:
        assert result.band is not None


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(sorted(INSTRUMENTS)),
    st.dictionaries(
        st.one_of(st.text(max_size=12), st.integers()),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(),
            st.text(max_size=12),
            st.lists(st.integers(), max_size=3),
            st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
        ),
        max_size=6,
    ),
)
def test_it_answers_garbage_with_a_response_error_or_a_result(name, answers):
    instrument = INSTRUMENTS[name]
    try:
        result = score(instrument, answers)
    except ResponseError as error:
        assert "\n" not in str(error)
    else:
        assert result.items_answered >= 0


@st.composite
def random_scale(draw):
    count = draw(st.integers(1, 8))
    weights = draw(
        st.lists(
            st.lists(st.integers(-5, 10), min_size=1, max_size=5, unique=True),
            min_size=count,
            max_size=count,
        )
    )
    items = [
        {
            "link_id": f"i{n}",
            "type": "choice",
            "text": f"Item {n}",
            "options": [{"code": f"o{w}", "display": str(w), "weight": w} for w in option_weights],
        }
        for n, option_weights in enumerate(weights)
    ]
    link_ids = [item["link_id"] for item in items]
    scoring = {
        "method": draw(st.sampled_from(["sum", "mean"])),
        "max_missing": draw(st.integers(0, count - 1)),
        "reverse": draw(st.lists(st.sampled_from(link_ids), unique=True)),
    }
    instrument = yaml_instrument(items, scoring)
    answers = {
        item["link_id"]: f"o{draw(st.sampled_from(option_weights))}"
        for item, option_weights in zip(items, weights, strict=True)
        if draw(st.booleans())
    }
    return instrument, answers


@settings(max_examples=200, deadline=None)
@given(random_scale())
def test_it_prorates_exactly_by_the_rule_on_random_scales(case):
    instrument, answers = case
    result = score(instrument, answers)
    scoring = instrument.scoring
    missing = len(scoring.items) - len(answers)
    assert result.items_missing == missing
    assert result.items_answered == len(answers)
    if not answers or missing > scoring.max_missing:
        assert result.total is None
        return
    low, high = instrument.total_range()
    assert low - 1e-9 <= result.total <= high + 1e-9
    assert result.prorated is (missing > 0)
    if scoring.method == "sum" and missing == 0:
        by_link_id = instrument.items_by_link_id()
        expected = 0.0
        for link_id, code in answers.items():
            item = by_link_id[link_id]
            weight = item.option(code).weight
            if link_id in scoring.reverse_items:
                lowest, highest = item.value_range()
                weight = lowest + highest - weight
            expected += weight
        assert result.total == pytest.approx(expected)
