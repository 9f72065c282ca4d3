"""The fast path (text columns read as categoricals) gives the report of the plain-text path.

``load_episodes`` reads the attributes and ``end_reason`` as ``pl.Categorical`` by default;
``categorical=False`` reads them as plain text, the way the engine read every file before.
Counts must agree exactly. Sums of fractional values (ratings, their squares) are added by a
multi-threaded group-by whose order is not fixed from one run to the next, so those are
compared to a relative 1e-9 (they differ, if at all, in the last bits, run to run as well).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import polars as pl
import pytest

from attune.equity import EquityInputError, build_report, collect_statistics, load_episodes
from attune.equity.synthetic import generate_episodes, write_episodes_csv

INTERSECT = [("gender", "language")]


def _same(fast: object, slow: object, where: str) -> None:
    """Assert two values agree: ints, texts and flags exactly, floats to 1e-9."""
    if isinstance(fast, float) or isinstance(slow, float):
        assert fast is not None and slow is not None, where
        assert math.isclose(fast, slow, rel_tol=1e-9, abs_tol=1e-12), (where, fast, slow)
    elif isinstance(fast, dict):
        assert isinstance(slow, dict) and fast.keys() == slow.keys(), where
        for key in fast:
            _same(fast[key], slow[key], f"{where}.{key}")
    elif isinstance(fast, list | tuple):
        assert isinstance(slow, list | tuple) and len(fast) == len(slow), where
        for index, (one, other) in enumerate(zip(fast, slow, strict=True)):
            _same(one, other, f"{where}[{index}]")
    else:
        assert fast == slow, (where, fast, slow)


def _statistics(path: Path, *, categorical: bool) -> dict[str, object]:
    statistics = collect_statistics(
        load_episodes(path, categorical=categorical), intersect=INTERSECT
    )
    return {
        "n_episodes": statistics.n_episodes,
        "attributes": {
            attribute.name: {
                name: dataclasses.asdict(group) for name, group in attribute.groups.items()
            }
            for attribute in statistics.attributes
        },
    }


def _rows(path: Path, *, categorical: bool) -> dict[tuple[str, str, str], dict[str, object]]:
    report = build_report(load_episodes(path, categorical=categorical), intersect=INTERSECT)
    rows = {(row.metric, row.attribute, row.group): dataclasses.asdict(row) for row in report.rows}
    assert len(rows) == len(report.rows)
    return rows


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated episode file: multi-valued identities, blanks, planted gaps."""
    return write_episodes_csv(tmp_path_factory.mktemp("fast") / "episodes.csv", 40_000, seed=21)


@pytest.fixture(scope="module")
def untidy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated file with the untidy values people type: spaces, repeats, blank cells."""
    frame = generate_episodes(6_000, seed=22)
    row = pl.int_range(pl.len())
    frame = frame.with_columns(
        # " Spanish ;English" and "English;English" are the groups Spanish and English.
        pl.when(row % 7 == 0)
        .then(pl.lit(" ") + pl.col("language") + pl.lit(" ;English"))
        .when(row % 11 == 0)
        .then(pl.col("language") + pl.lit(";") + pl.col("language"))
        .otherwise(pl.col("language"))
        .alias("language"),
        pl.when(row % 13 == 0).then(pl.lit("  ")).otherwise(pl.col("gender")).alias("gender"),
        # A reason with spaces around it is the reason; the file then takes the text path.
        pl.when(row % 17 == 0)
        .then(pl.lit(" ") + pl.col("end_reason") + pl.lit(" "))
        .otherwise(pl.col("end_reason"))
        .alias("end_reason"),
    )
    path = tmp_path_factory.mktemp("untidy") / "episodes.csv"
    frame.write_csv(path)
    return path


def test_the_fast_path_reads_categoricals(generated: Path) -> None:
    fast = load_episodes(generated)
    slow = load_episodes(generated, categorical=False)
    assert isinstance(fast.schema["gender"], pl.Categorical)
    assert isinstance(fast.schema["end_reason"], pl.Categorical)
    assert slow.schema["gender"] == pl.String
    as_text = fast.with_columns(pl.col(pl.Categorical).cast(pl.String))
    assert as_text.equals(slow)


@pytest.mark.parametrize("which", ["generated", "untidy"])
def test_the_fast_path_collects_the_same_statistics(
    which: str, request: pytest.FixtureRequest
) -> None:
    path = request.getfixturevalue(which)
    _same(_statistics(path, categorical=True), _statistics(path, categorical=False), which)


@pytest.mark.parametrize("which", ["generated", "untidy"])
def test_the_fast_path_publishes_the_same_report(
    which: str, request: pytest.FixtureRequest
) -> None:
    path = request.getfixturevalue(which)
    fast, slow = _rows(path, categorical=True), _rows(path, categorical=False)
    assert fast.keys() == slow.keys()
    for key in fast:
        _same(fast[key], slow[key], str(key))


def test_the_untidy_file_has_its_groups_cleaned(untidy: Path) -> None:
    statistics = collect_statistics(load_episodes(untidy), intersect=INTERSECT)
    languages = next(a for a in statistics.attributes if a.name == "language").groups
    assert "English" in languages and " Spanish " not in languages
    assert not any(";" in name or name != name.strip() for name in languages)


def test_the_fast_path_rejects_what_the_slow_path_rejects(tmp_path: Path) -> None:
    frame = generate_episodes(500, seed=23).with_columns(
        pl.when(pl.int_range(pl.len()) == 9)
        .then(pl.lit("finished"))
        .otherwise(pl.col("end_reason"))
        .alias("end_reason")
    )
    path = tmp_path / "episodes.csv"
    frame.write_csv(path)
    messages = []
    for categorical in (True, False):
        with pytest.raises(EquityInputError) as raised:
            load_episodes(path, categorical=categorical)
        messages.append(str(raised.value))
    assert messages[0] == messages[1]
    assert "end_reason is not one of" in messages[0] and "row 10" in messages[0]
