"""The scoring engine on hand-made instruments: methods, missing items, reversal, change."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from attune.measures.bundled import load_bundled_instrument
from attune.measures.errors import ResponseError
from attune.measures.scoring import (
    ChangeStatus,
    missing_required,
    recovered,
    reliable_change,
    score,
)

from .builders import choice_items, yaml_instrument

pytestmark = pytest.mark.pure


def four_item(**scoring):
    return yaml_instrument(choice_items(4), {"method": "sum", **scoring})


def test_it_sums_option_weights():
    result = score(four_item(), {"q1": "a", "q2": "b", "q3": "c", "q4": "d"})
    assert result.total == 6
    assert result.band is None
    assert (result.items_answered, result.items_missing, result.prorated) == (4, 0, False)


def test_it_returns_no_band_when_the_instrument_has_none():
    assert score(four_item(), {"q1": "d", "q2": "d", "q3": "d", "q4": "d"}).band is None


def test_it_reverse_scores_listed_items_within_their_own_range():
    instrument = four_item(reverse=["q2"])
    result = score(instrument, {"q1": "a", "q2": "a", "q3": "a", "q4": "a"})
    assert result.total == 3


def test_it_prorates_up_to_max_missing_and_rounds_halves_up():
    instrument = four_item(max_missing=1)
    result = score(instrument, {"q1": "b", "q2": "b", "q3": "c"})
    # (1 + 1 + 2) / 3 * 4 = 5.33 -> 5
    assert result.total == 5
    assert result.prorated is True
    assert result.missing_items == ("q4",)
    half = score(four_item(max_missing=2), {"q1": "b", "q2": "c"})
    # (1 + 2) / 2 * 4 = 6.0
    assert half.total == 6


def test_it_gives_no_score_past_max_missing():
    result = score(four_item(max_missing=1), {"q1": "b", "q2": "b"})
    assert result.total is None
    assert result.prorated is False
    assert result.items_missing == 2


def test_it_gives_no_score_when_nothing_is_answered():
    assert score(four_item(max_missing=3), {}).total is None


def test_it_takes_the_mean_over_answered_items_for_mean_scales():
    instrument = yaml_instrument(
        [
            {"link_id": f"r{n}", "type": "integer", "text": f"R{n}", "range": {"min": 0, "max": 10}}
            for n in range(1, 5)
        ],
        {"method": "mean", "max_missing": 1},
    )
    assert score(instrument, {"r1": 10, "r2": 5, "r3": 6, "r4": 8}).total == 7.25
    partial = score(instrument, {"r1": 10, "r2": 5, "r3": 6})
    assert partial.total == 7
    assert partial.prorated is True


def test_it_scores_subscales_separately():
    instrument = load_bundled_instrument("session-checkin")
    answers = {
        "heard": 9,
        "what-matters": 8,
        "approach-fit": 7,
        "overall": 8,
        "curious": 10,
        "respected-values": 10,
        "fully-myself": 6,
        "could-talk-about-it": 8,
        "comment": "Gracias.",
    }
    result = score(instrument, answers)
    assert result.subscales == {"alliance": 8, "humility": 8.5}
    assert result.total == 8.25


def test_it_skips_items_hidden_by_enable_when_without_counting_them_missing():
    items = choice_items(2) + [
        {
            "link_id": "follow-up",
            "type": "choice",
            "text": "Only when q1 is d",
            "options": [
                {"code": "x", "display": "X", "weight": 5},
                {"code": "y", "display": "Y", "weight": 0},
            ],
            "enable_when": [{"question": "q1", "operator": "=", "answer": "d"}],
        }
    ]
    instrument = yaml_instrument(items, {"items": ["q1", "q2", "follow-up"]})
    hidden = score(instrument, {"q1": "a", "q2": "b"})
    assert (hidden.total, hidden.items_missing) == (1, 0)
    shown = score(instrument, {"q1": "d", "q2": "b", "follow-up": "x"})
    assert shown.total == 9
    missing = score(instrument, {"q1": "d", "q2": "b"})
    assert missing.total is None and missing.missing_items == ("follow-up",)


def test_it_honours_enable_behavior_any():
    items = choice_items(2) + [
        {
            "link_id": "extra",
            "type": "string",
            "text": "Tell me more",
            "enable_behavior": "any",
            "enable_when": [
                {"question": "q1", "operator": ">=", "answer": "c"},
                {"question": "q2", "operator": "exists", "answer": True},
            ],
        }
    ]
    instrument = yaml_instrument(items, {"items": ["q1", "q2"], "max_missing": 1})
    shown_by_second_condition = score(instrument, {"q1": "a", "q2": "a", "extra": "words"})
    assert shown_by_second_condition.notes == ()
    hidden = score(instrument, {"q1": "a", "extra": "words"})
    assert "not shown" in hidden.notes[0]


def test_it_flags_a_safety_item_answered_above_its_lowest_option():
    phq9 = load_bundled_instrument("phq9")
    answers = {f"phq9-{n}": "LA6568-5" for n in range(1, 10)}
    assert score(phq9, answers).safety_items == ()
    answers["phq9-9"] = "LA6569-3"
    result = score(phq9, answers)
    assert result.safety_items == ("phq9-9",)
    assert result.total == 1
    assert result.band == "minimal"


def test_it_rejects_answers_that_do_not_fit_the_instrument():
    with pytest.raises(ResponseError, match="not one of the options"):
        score(four_item(), {"q1": "z"})
    with pytest.raises(ResponseError, match="no such item"):
        score(four_item(), {"q9": "a"})


def test_it_reads_reliable_change_from_the_fixed_phq9_threshold():
    phq9 = load_bundled_instrument("phq9")
    assert reliable_change(18, 12, phq9).status is ChangeStatus.IMPROVED
    assert reliable_change(18, 13, phq9).status is ChangeStatus.NO_RELIABLE_CHANGE
    worse = reliable_change(5, 11, phq9)
    assert worse.status is ChangeStatus.DETERIORATED
    assert (worse.difference, worse.threshold, worse.index) == (6, 6, None)
    gad7 = load_bundled_instrument("gad7")
    assert reliable_change(12, 8, gad7).status is ChangeStatus.IMPROVED
    assert reliable_change(12, 9, gad7).status is ChangeStatus.NO_RELIABLE_CHANGE


def test_it_computes_the_jacobson_truax_threshold_from_sd_and_reliability():
    instrument = four_item(reliable_change={"sd": 2.0, "reliability": 0.8})
    expected = 1.96 * 2.0 * math.sqrt(2 * (1 - 0.8))
    change = reliable_change(8, 4, instrument)
    assert change.threshold == round(expected, 2)
    assert change.status is ChangeStatus.IMPROVED
    assert change.index == round(-4 / (2.0 * math.sqrt(0.4)), 2)
    assert reliable_change(8, 6, instrument).status is ChangeStatus.NO_RELIABLE_CHANGE


def test_it_reads_improvement_upward_when_higher_is_better():
    instrument = four_item(direction="higher_is_better", reliable_change={"threshold": 2})
    assert reliable_change(3, 6, instrument).status is ChangeStatus.IMPROVED


def test_it_returns_no_reliable_change_without_totals_or_a_threshold():
    assert reliable_change(None, 4, load_bundled_instrument("phq9")) is None
    assert reliable_change(10, 4, four_item()) is None


def test_it_counts_recovery_only_across_the_cutoff_with_reliable_improvement():
    phq9 = load_bundled_instrument("phq9")
    assert recovered(16, 6, phq9) is True
    assert recovered(12, 9, phq9) is False  # crossed, but a 3-point change is noise
    assert recovered(8, 2, phq9) is False  # never in the clinical range
    assert recovered(20, 12, phq9) is False  # still in the clinical range
    assert recovered(None, 2, phq9) is None
    assert recovered(16, 6, four_item()) is None


def test_it_accepts_score_results_for_change():
    phq9 = load_bundled_instrument("phq9")
    first = score(phq9, {f"phq9-{n}": "LA6570-1" for n in range(1, 10)})
    last = score(phq9, {f"phq9-{n}": "LA6568-5" for n in range(1, 10)})
    assert reliable_change(first, last, phq9).difference == -18
    assert recovered(first, last, phq9) is True


@pytest.mark.parametrize(
    ("expression", "reason"), [("'a' + 1", "Cannot"), ("(1 | 2).single()", "Expected single")]
)
def test_it_notes_a_calculated_item_that_fails_at_run_time_and_still_scores(expression, reason):
    items = choice_items(2) + [
        {"link_id": "t", "type": "decimal", "text": "T", "calculated": {"expression": expression}}
    ]
    instrument = yaml_instrument(items, {"items": ["q1", "q2"]})
    result = score(instrument, {"q1": "b", "q2": "c"})
    assert result.total == 3
    assert result.calculated == {"t": None}
    assert reason in result.notes[0]
    assert result.notes[0].startswith("item 't': calculated expression failed")


def test_it_imports_no_django():
    code = (
        "import sys, attune.measures.cli, attune.measures.scoring, attune.measures.goals,"
        " attune.measures.expected_response;"
        "sys.exit(any(name.startswith('django') for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_it_lists_required_items_still_unanswered_among_those_shown():
    items = choice_items(2) + [
        {
            "link_id": "why",
            "type": "string",
            "text": "Why?",
            "required": True,
            "enable_when": [{"question": "q1", "operator": "=", "answer": "d"}],
        }
    ]
    items[0]["required"] = True
    instrument = yaml_instrument(items, {"items": ["q1", "q2"]})
    assert missing_required(instrument, {}) == ("q1",)
    assert missing_required(instrument, {"q1": "a"}) == ()
    assert missing_required(instrument, {"q1": "d"}) == ("why",)
