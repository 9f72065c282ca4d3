"""Small cells are hidden, and no hidden count can be worked out from what is shown."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attune.equity import build_report, collect_statistics, load_episodes
from attune.equity.report import Report
from attune.equity.summaries import summary_size
from attune.equity.suppression import Line, SuppressionInput, suppress
from tests.equity.builders import episode, write_rows

pytestmark = pytest.mark.pure

GENDERS = {"Woman": 60, "Man": 40, "Non-binary": 14, "Two-Spirit": 5, "": 3}
LANGUAGES = ["English", "English", "English", "English", "Spanish", "Farsi"]


@pytest.fixture(scope="module")
def small_agency(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = []
    index = 0
    for gender, count in GENDERS.items():
        for _ in range(count):
            index += 1
            language = LANGUAGES[index % len(LANGUAGES)]
            seen = index % 9 != 0
            rows.append(
                episode(
                    index,
                    gender=gender,
                    language=language,
                    first_session_date="2025-01-20" if seen else "",
                    end_date="2025-03-01" if seen else "",
                    end_reason=("dropped_out" if index % 4 == 0 else "completed")
                    if seen
                    else "ongoing",
                    sessions_scheduled=8 if seen else 0,
                    sessions_attended=(index % 8) if seen else 0,
                    phq9_first=12 + index % 10 if index % 3 else "",
                    humility_mean=60 + index % 30 if index % 2 else "",
                )
            )
    return write_rows(tmp_path_factory.mktemp("equity") / "small.csv", rows)


@pytest.fixture(scope="module")
def small_report(small_agency: Path) -> Report:
    return build_report(load_episodes(small_agency), intersect=[("gender", "language")])


def test_it_hides_every_figure_of_a_suppressed_cell(small_report: Report) -> None:
    suppressed = [row for row in small_report.rows if row.suppressed]
    assert suppressed
    for row in suppressed:
        assert row.n is None and row.value is None and row.ci_low is None and row.ci_high is None
        assert row.ratio is None and row.difference is None
        assert row.p_value is None and row.q_value is None and row.significant is False


def test_it_suppresses_groups_smaller_than_the_minimum(small_report: Report) -> None:
    two_spirit = [
        r for r in small_report.rows if r.attribute == "gender" and r.group == "Two-Spirit"
    ]
    assert two_spirit and all(row.suppressed for row in two_spirit)
    published = [row for row in small_report.rows if not row.suppressed]
    assert all(row.n is not None and row.n >= 11 for row in published)


def test_it_leaves_no_suppressed_count_recoverable(
    small_agency: Path, small_report: Report
) -> None:
    statistics = collect_statistics(load_episodes(small_agency), intersect=[("gender", "language")])
    true_n = {
        (metric, attribute.name, group.name): summary_size(summary)
        for attribute in statistics.attributes
        for group in attribute.groups.values()
        for metric, summary in group.metrics.items()
    }
    parts = {
        (attribute.name, group.name): group.parts
        for attribute in statistics.attributes
        for group in attribute.groups.values()
    }
    shown = {(r.metric, r.attribute, r.group): r for r in small_report.rows if not r.suppressed}
    hidden = [(r.metric, r.attribute, r.group) for r in small_report.rows if r.suppressed]

    # A reader knows each metric's total (gender is single-valued) and every shown count.
    lines: dict[tuple[str, ...], list[tuple[str, str, str]]] = defaultdict(list)
    for key in true_n:
        metric, attribute, group = key
        lines[(metric, attribute)].append(key)
        if attribute == "gender+language":
            woman_or_man, language = parts[(attribute, group)]
            lines[(metric, "gender", woman_or_man, "row")].append(key)
            lines[(metric, "language", language, "column")].append(key)
    for line, keys in lines.items():
        if len(line) == 2:
            total: int | None = sum(
                true_n[(line[0], "gender", g)] for g in _groups(true_n, "gender")
            )
        else:
            total_key = (line[0], line[1], line[2])
            total = shown[total_key].n if total_key in shown else None
        unknown = [key for key in keys if key not in shown]
        if not unknown or total is None:
            continue
        assert len(unknown) >= 2, f"{unknown[0]} = total - shown cells in {line}"
        remainder = total - sum(shown[key].n for key in keys if key in shown)  # type: ignore[misc]
        assert remainder >= 11 or remainder > max(true_n[key] for key in unknown), line

    # Nor does any hidden count reappear as another figure shown for the same group.
    for metric, attribute, group in hidden:
        count = true_n[(metric, attribute, group)]
        for other_metric in {key[0] for key in true_n}:
            other = shown.get((other_metric, attribute, group))
            if other is None:
                continue
            assert other.n != count, (metric, attribute, group, other_metric)
            if other_metric == "never_seen_rate" and metric == "days_to_first_session":
                seen = round(other.n * (1 - other.value))  # type: ignore[operator]
                assert seen != count


def _groups(true_n: dict[tuple[str, str, str], int], attribute: str) -> set[str]:
    return {key[2] for key in true_n if key[1] == attribute}


def test_it_adds_the_smallest_other_group_when_one_cell_is_small() -> None:
    keys = [("m", "a", "A"), ("m", "a", "B"), ("m", "a", "C")]
    cells = SuppressionInput(dict(zip(keys, (50, 30, 5), strict=True)), (Line(tuple(keys)),), {})
    assert suppress(cells) == {("m", "a", "B"), ("m", "a", "C")}


def test_it_adds_cells_until_the_hidden_total_is_not_small() -> None:
    keys = [("m", "a", "A"), ("m", "a", "B"), ("m", "a", "C"), ("m", "a", "D")]
    cells = SuppressionInput(dict(zip(keys, (50, 40, 3, 5), strict=True)), (Line(tuple(keys)),), {})
    assert suppress(cells) == {("m", "a", "B"), ("m", "a", "C"), ("m", "a", "D")}


def test_it_hides_the_total_when_a_line_has_nothing_left_to_hide() -> None:
    marginal = ("m", "gender", "Woman")
    only = ("m", "gender+language", "Woman+Farsi")
    other = ("m", "gender", "Man")
    cells = SuppressionInput(
        {marginal: 6 + 0, only: 6, other: 90},
        (Line((marginal, other)), Line((only,), total=marginal)),
        {},
    )
    assert suppress(cells) == {marginal, only, other}


def test_it_refuses_a_minimum_below_eleven() -> None:
    with pytest.raises(ValueError, match="at least 11"):
        suppress(SuppressionInput({}, (), {}), min_cell=10)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8))
def test_it_never_leaves_a_lone_or_small_hidden_remainder(sizes: list[int]) -> None:
    keys = [("m", "a", f"g{index}") for index in range(len(sizes))]
    cells = SuppressionInput(dict(zip(keys, sizes, strict=True)), (Line(tuple(keys)),), {})
    hidden = suppress(cells)
    assert {key for key, size in zip(keys, sizes, strict=True) if size < 11} <= hidden
    if hidden and len(hidden) < len(keys):
        assert len(hidden) >= 2
        assert sum(size for key, size in zip(keys, sizes, strict=True) if key in hidden) >= 11
