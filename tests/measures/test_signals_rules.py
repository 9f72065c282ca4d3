"""The rupture and safety rules, as plain inputs and outputs (no database)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attune.measures import signals_rules as rules
from attune.measures.signals_rules import ResponseFacts, evaluate

pytestmark = pytest.mark.pure


def session(total, **items) -> ResponseFacts:
    values = {link_id: 8 for link_id in rules.DEFAULT_RULES.humility_items}
    values.update(items)
    return ResponseFacts("session-checkin", total, values)


def names(findings) -> list[str]:
    return [finding.rule for finding in findings]


def test_it_raises_a_low_total_below_the_threshold():
    assert names(evaluate(session(5.9), [])) == [rules.LOW_SESSION_TOTAL]
    assert evaluate(session(6.0), []) == []


def test_it_compares_with_the_median_of_the_clients_previous_three():
    found = evaluate(session(7.0), [2.0, 9.0, 10.0, 9.0])
    assert names(found) == [rules.DROP_FROM_BASELINE]
    assert found[0].facts["baseline"] == 9.0
    assert evaluate(session(7.5), [9.0, 10.0, 9.0]) == []


def test_it_needs_three_previous_totals_before_it_speaks_of_a_baseline():
    assert evaluate(session(7.0), [10.0, 10.0]) == []
    assert evaluate(session(7.0), [10.0, None, 10.0]) == []


def test_it_raises_any_humility_item_at_or_below_the_threshold():
    found = evaluate(session(8.0, curious=4), [])
    assert names(found) == [rules.LOW_HUMILITY_ITEM]
    assert found[0].facts["items"] == {"curious": 4}
    assert evaluate(session(8.0, curious=5), []) == []


def test_it_raises_reliable_deterioration_from_the_first_score():
    phq9 = ResponseFacts("phq9", 14, reliable_change_threshold=6)
    assert names(evaluate(phq9, [8, 3])) == [rules.RELIABLE_DETERIORATION]
    assert evaluate(ResponseFacts("phq9", 13, reliable_change_threshold=6), [8]) == []


def test_it_puts_a_safety_finding_first_and_apart():
    phq9 = ResponseFacts("phq9", 20, safety_items=("phq9-9",), reliable_change_threshold=6)
    found = evaluate(phq9, [5])
    assert [finding.kind for finding in found] == [rules.SAFETY, rules.RUPTURE]
    assert found[0].rule == rules.SAFETY_ITEM


def test_it_takes_an_agencys_own_thresholds():
    strict = rules.rule_settings({"session_total_below": 8, "humility_items": ["heard"]})
    assert names(evaluate(session(7.5, heard=3), [], strict)) == [
        rules.LOW_SESSION_TOTAL,
        rules.LOW_HUMILITY_ITEM,
    ]


@pytest.mark.parametrize(
    "overrides",
    [{"session_total_below": "low"}, {"baseline_size": 0}, {"humility_items": "curious"}, {"x": 1}],
)
def test_it_refuses_unusable_settings(overrides):
    with pytest.raises(ValueError):
        rules.rule_settings(overrides)


def test_it_offers_an_opening_for_every_rule():
    for rule in (
        rules.SAFETY_ITEM,
        rules.LOW_SESSION_TOTAL,
        rules.DROP_FROM_BASELINE,
        rules.LOW_HUMILITY_ITEM,
        rules.RELIABLE_DETERIORATION,
    ):
        assert rules.suggested_opening(rule).startswith(("You might", "Follow"))


numbers = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-1000, 1000),
    st.booleans(),
    st.text(max_size=3),
)


@given(
    instrument=st.sampled_from(["session-checkin", "phq9", "gad7", "other"]),
    total=numbers,
    items=st.dictionaries(st.text(max_size=20), numbers, max_size=6),
    safety=st.lists(st.text(max_size=5), max_size=2),
    threshold=numbers,
    previous=st.lists(numbers, max_size=8),
)
def test_it_never_crashes_and_keeps_safety_first(
    instrument, total, items, safety, threshold, previous
):
    facts = ResponseFacts(instrument, total, items, tuple(safety), threshold)
    found = evaluate(facts, previous)
    kinds = [finding.kind for finding in found]
    assert kinds == sorted(kinds, key=lambda kind: kind != rules.SAFETY)
    assert (rules.SAFETY in kinds) == bool(safety)
    assert len({finding.rule for finding in found}) == len(found)
    for finding in found:
        assert finding.summary and not any(
            isinstance(value, float) and math.isnan(value) for value in finding.facts.values()
        )


@given(st.lists(st.floats(0, 10), min_size=3, max_size=10), st.floats(0, 10))
def test_it_never_signals_a_drop_when_the_total_is_at_the_baseline_or_above(previous, extra):
    reference = rules.baseline(previous, 3)
    found = evaluate(session(min(10.0, reference + extra)), previous)
    assert rules.DROP_FROM_BASELINE not in names(found)
