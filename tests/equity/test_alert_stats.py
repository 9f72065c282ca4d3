"""Alert-equity statistics: rates, sensitivity and PPV per group, intervals, tests, suppression."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attune.equity.alert_stats import (
    PPV,
    RATE,
    SENSITIVITY,
    AlertTally,
    alert_equity,
    plain_finding,
    reference_group,
    tally_arrays,
    tally_by_group,
)

pytestmark = pytest.mark.pure


@st.composite
def tallies(draw) -> AlertTally:
    checkins = draw(st.integers(0, 3000))
    fired = draw(st.integers(0, checkins))
    outcomes = draw(st.integers(0, checkins))
    low = max(0, fired + outcomes - checkins)
    caught = draw(st.integers(low, min(fired, outcomes)))
    return AlertTally(checkins, fired, outcomes, caught)


GROUPS = st.dictionaries(
    st.sampled_from(["A", "B", "C", "D", "E"]), tallies(), min_size=1, max_size=5
).filter(lambda found: any(t.checkins for t in found.values()))


@settings(max_examples=150, deadline=None)
@given(GROUPS, st.integers(1, 30))
def test_every_shown_figure_lies_in_its_interval_and_its_range(groups, min_cell):
    rows = alert_equity(groups, min_cell=min_cell)
    assert rows[0].is_reference and sum(row.is_reference for row in rows) == 1
    assert {row.group for row in rows} == set(groups)
    for row in rows:
        for cell in row.cells.values():
            if cell.suppressed:
                assert cell.n < min_cell
                assert cell.value is cell.ci_low is cell.p_value is cell.difference is None
                continue
            assert cell.n >= min_cell
            assert 0 <= cell.ci_low <= cell.value <= cell.ci_high <= 100
            if cell.p_value is not None:
                assert 0 <= cell.p_value <= cell.q_value <= 1
            if row.is_reference:
                assert cell.p_value is None and cell.difference is None


@settings(max_examples=100, deadline=None)
@given(tallies())
def test_a_group_the_same_as_the_reference_differs_by_nothing(tally):
    rows = alert_equity({"ref": tally, "twin": tally}, reference="ref", min_cell=1)
    for cell in rows[1].cells.values():
        if not cell.suppressed and cell.p_value is not None:
            assert cell.difference == 0
            assert cell.p_value == pytest.approx(1.0)
            assert not cell.significant


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.booleans(), st.booleans()), max_size=200))
def test_tallies_do_not_depend_on_the_order_of_check_ins(records):
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)

    def counted(rows):
        return tally_by_group(*zip(*rows, strict=True)) if rows else {}

    assert counted(records) == counted(shuffled)
    total = sum((tally for tally in counted(records).values()), AlertTally())
    assert total.checkins == len(records)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.booleans(), st.booleans()), max_size=200))
def test_the_array_tally_agrees_with_the_plain_one(records):
    names = ["A", "B", "C"]
    expected = tally_by_group(*zip(*records, strict=True)) if records else {}
    codes = [names.index(group) for group, _, _ in records]
    fired = [did for _, did, _ in records]
    outcome = [followed for _, _, followed in records]
    assert tally_arrays(codes, fired, outcome, names) == expected


def test_a_client_in_several_groups_counts_in_each_once():
    found = tally_by_group([("A", "B", "A"), "A", ()], [True, False, True], [True, True, False])
    assert found == {"A": AlertTally(2, 1, 2, 1), "B": AlertTally(1, 1, 1, 1)}


def test_the_three_measures_come_from_the_right_counts():
    rows = alert_equity({"A": AlertTally(200, 20, 10, 5)}, min_cell=1)
    cells = rows[0].cells
    assert cells[RATE].value == pytest.approx(10.0)  # 20 per 200 check-ins: 10 per 100
    assert cells[SENSITIVITY].value == pytest.approx(50.0)  # 5 of 10 outcomes caught
    assert cells[PPV].value == pytest.approx(25.0)  # 5 of 20 signals followed


def test_a_planted_gap_in_sensitivity_is_found_and_a_null_group_stays_quiet():
    groups = {
        "English-speaking": AlertTally(4000, 400, 200, 136),  # 68% of dropouts caught
        "Spanish-speaking": AlertTally(1500, 110, 120, 49),  # 41%
        "Tagalog-speaking": AlertTally(1200, 120, 60, 40),  # 67%: no real difference
    }
    rows = {row.group: row for row in alert_equity(groups)}
    assert rows["English-speaking"].is_reference
    assert rows["Spanish-speaking"].cells[SENSITIVITY].significant
    assert rows["Spanish-speaking"].cells[SENSITIVITY].difference == pytest.approx(41 - 68, abs=1)
    assert not rows["Tagalog-speaking"].cells[SENSITIVITY].significant
    sentence = plain_finding(
        list(rows.values()),
        "Spanish-speaking",
        group_words=lambda name: f"{name} clients",
    )
    assert sentence.startswith(
        "Rupture signals caught 41% of later dropouts among Spanish-speaking clients and 68% "
        "among English-speaking clients."
    )
    assert "unlikely to be chance" in sentence and "associations" in sentence


def test_small_cells_are_suppressed_and_never_compared():
    rows = alert_equity(
        {"big": AlertTally(500, 50, 40, 20), "small": AlertTally(30, 8, 6, 3)}, min_cell=11
    )
    small = rows[1].cells
    assert not small[RATE].suppressed and small[RATE].p_value is not None
    assert small[SENSITIVITY].suppressed and small[PPV].suppressed
    assert "Too few check-ins" in plain_finding(rows, "small")


def test_the_default_reference_is_the_largest_group():
    assert reference_group({"b": AlertTally(5), "a": AlertTally(5), "c": AlertTally(2)}) == "a"


def test_counts_that_cannot_happen_are_refused():
    with pytest.raises(ValueError):
        AlertTally(10, 5, 5, 6)
    with pytest.raises(ValueError):
        AlertTally(3, 5, 0, 0)


def test_the_module_imports_no_django():
    code = (
        "import sys, attune.equity.alert_stats;"
        "sys.exit(any(name.startswith('django') for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
