"""The plain-language sentences shared by the HTML report and the dashboard."""

from __future__ import annotations

import re

import pytest

from attune.equity.report import MetricRow
from attune.equity.wording import describe_finding, format_q

pytestmark = pytest.mark.pure


def row(
    metric: str,
    group: str,
    value: float,
    ratio: float | None,
    difference: float,
    q_value: float = 0.0123,
) -> MetricRow:
    return MetricRow(
        metric,
        "language",
        group,
        100,
        value,
        value * 0.9,
        value * 1.1,
        "English",
        ratio,
        difference,
        0.001,
        q_value,
        True,
        False,
    )


ENGLISH = row("dropout_rate", "English", 0.2, 1.0, 0.0)


def test_it_says_who_what_how_much_against_whom_and_that_it_is_unlikely_to_be_chance() -> None:
    spanish = row("dropout_rate", "Spanish", 0.38, 1.9, 0.18)
    assert describe_finding(spanish, ENGLISH, 63) == (
        "Clients whose language includes Spanish left therapy early more often than clients "
        "whose language includes English (the reference group): 38.0% against 20.0% "
        "(1.9 times as often); this is unlikely to be chance (q = 0.012)."
    )


def test_each_kind_of_measure_reads_plainly() -> None:
    lower = row("humility_mean", "Spanish", 70.0, 0.9, -8.0)
    reference = row("humility_mean", "English", 78.0, 1.0, 0.0)
    assert "rated their therapist's cultural humility 8.0 points lower on average than" in (
        describe_finding(lower, reference, 63)
    )
    assert ": 70.0 against 78.0, out of 100;" in describe_finding(lower, reference, 63)
    wait = row("days_to_first_session", "Spanish", 26.0, 1.9, 12.0)
    wait_reference = row("days_to_first_session", "English", 14.0, 1.0, 0.0)
    assert "waited for a first session 12 days longer than clients whose language includes " in (
        describe_finding(wait, wait_reference, 9)
    )
    assert "at the median: 26 days against 14 days;" in describe_finding(wait, wait_reference, 9)
    sooner = row("days_to_first_session", "Spanish", 10.0, 0.7, -4.0)
    assert "waited for a first session 4 days less than" in describe_finding(
        sooner, wait_reference, 9
    )
    from_zero = row("never_seen_rate", "Spanish", 0.05, None, 0.05)
    zero = row("never_seen_rate", "English", 0.0, None, 0.0)
    sentence = describe_finding(from_zero, zero, 2)
    assert "were never seen after referral more often than" in sentence
    assert "times as often" not in sentence  # no ratio against zero
    fewer = row("phq9_reliable_improvement_rate", "Spanish", 0.2, 0.5, -0.2)
    assert "improved reliably on the PHQ-9 less often than" in describe_finding(fewer, ENGLISH, 5)


def test_no_sentence_has_a_double_negative_and_each_ends_with_its_q_value() -> None:
    cases = [
        row("dropout_rate", "Spanish", 0.38, 1.9, 0.18),
        row("dropout_rate", "Spanish", 0.1, 0.5, -0.1),
        row("humility_mean", "Spanish", 70.0, 0.9, -8.0),
        row("days_to_first_session", "Spanish", 14.0, 1.0, 0.0),
        row("stigmatizing_per_1000_words", "Spanish", 30.0, 2.0, 15.0),
    ]
    for case in cases:
        sentence = describe_finding(case, ENGLISH, 40)
        assert not re.search(r"\b(no|not|never)\b.*\bunlikely\b", sentence.split(";")[-1])
        assert "No gap" not in sentence
        assert sentence.endswith("this is unlikely to be chance (q = 0.012).")
    assert "twice as often" in describe_finding(cases[-1], ENGLISH, 40)


def test_q_values_are_written_for_people() -> None:
    assert format_q(0.0004) == "q < 0.001"
    assert format_q(0.0123) == "q = 0.012"
    assert format_q(None) == "q not computed"
