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


# --- One alert per response, its reasons, and back to usual ------------------------------------


def test_a_responses_findings_make_one_rupture_alert_with_every_reason():
    found = evaluate(session(2.0, curious=2), [9.0, 9.0, 9.0])
    (alert,) = rules.alerts(found)
    assert alert.kind == rules.RUPTURE
    assert [reason.rule for reason in alert.reasons] == [
        rules.LOW_SESSION_TOTAL,
        rules.DROP_FROM_BASELINE,
        rules.LOW_HUMILITY_ITEM,
    ]
    assert alert.rule == rules.LOW_SESSION_TOTAL
    assert alert.summary.startswith("The session check-in was 2 out of 10")


def test_a_safety_finding_is_its_own_alert_and_first():
    facts = ResponseFacts("phq9", 20.0, safety_items=("phq9-9",), reliable_change_threshold=6)
    grouped = rules.alerts(evaluate(facts, [5.0]))
    assert [(alert.kind, alert.rule) for alert in grouped] == [
        (rules.SAFETY, rules.SAFETY_ITEM),
        (rules.RUPTURE, rules.RELIABLE_DETERIORATION),
    ]


def test_reasons_are_an_enum_with_a_label_each():
    assert {reason.value for reason in rules.Reason} == set(rules.REASON_LABELS)
    assert rules.reason_label("low_humility_item") == "Cultural-humility rating low"
    assert rules.reason_label("not_on_track") == "Not on track"  # a future reason still reads


def test_low_items_are_named_by_their_own_words():
    facts = ResponseFacts(
        "session-checkin",
        8.0,
        {"respected-values": 2, "fully-myself": 2, "curious": 8, "could-talk-about-it": 8},
        item_labels={"respected-values": "My therapist respected my values and beliefs."},
    )
    (finding,) = evaluate(facts, [])
    assert "“My therapist respected my values and beliefs” 2" in finding.summary
    assert "“fully-myself” 2" in finding.summary  # no label: the id, as a last resort


def test_the_deterioration_sentence_names_the_instrument_by_its_title():
    facts = ResponseFacts("phq9", 15.0, reliable_change_threshold=6, instrument_title="PHQ-9")
    (finding,) = evaluate(facts, [5.0])
    assert finding.summary.startswith("PHQ-9: 15 against a first score of 5")


def test_back_to_usual_needs_the_latest_check_ins_at_the_clients_usual_level():
    usual = [8.0, 9.0, 8.0]  # baseline 8
    assert rules.back_to_usual(usual, []) is None
    assert rules.back_to_usual(usual, [8.0]) == 0
    assert rules.back_to_usual(usual, [7.5]) == 0  # within half a point
    assert rules.back_to_usual(usual, [7.4]) is None
    assert rules.back_to_usual(usual, [5.0, 8.0, 9.0]) == 1
    assert rules.back_to_usual(usual, [8.0, 5.0]) is None
    assert rules.back_to_usual(usual, [8.0, None]) == 0  # a skipped one neither breaks nor counts


def test_without_a_baseline_back_to_usual_means_back_to_the_threshold():
    assert rules.back_to_usual([9.0], [6.0]) == 0
    assert rules.back_to_usual([9.0], [5.0]) is None


def test_an_agency_can_ask_for_more_check_ins_back_before_offering_to_close():
    two = rules.rule_settings({"back_to_usual_checkins": 2})
    assert rules.back_to_usual([8.0, 8.0, 8.0], [8.0], two) is None
    assert rules.back_to_usual([8.0, 8.0, 8.0], [4.0, 8.0, 9.0], two) == 1
    with pytest.raises(ValueError):
        rules.rule_settings({"back_to_usual_checkins": 0})


@given(
    before=st.lists(st.none() | st.floats(0, 10), max_size=8),
    after=st.lists(st.none() | st.floats(0, 10), max_size=8),
)
def test_back_to_usual_points_into_after_at_a_scored_total(before, after):
    start = rules.back_to_usual(before, after)
    if start is not None:
        assert 0 <= start < len(after) and after[start] is not None
