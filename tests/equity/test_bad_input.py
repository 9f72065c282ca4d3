"""Unusable episode files: one clear message naming rows and columns, exit 2, no output."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from attune.equity import EquityInputError, load_episodes
from attune.equity.cli import main
from attune.equity.schema import EPISODE_COLUMNS
from tests.equity.builders import ATTRIBUTES, episode, valid_rows, write_rows

pytestmark = pytest.mark.pure


def _run(
    tmp_path: Path,
    rows: list[dict[str, object]],
    capsys: pytest.CaptureFixture[str],
    columns: tuple[str, ...] | None = None,
) -> tuple[int, str, Path]:
    source = write_rows(tmp_path / "episodes.csv", rows, columns)
    output = tmp_path / "report.json"
    code = main(["report", "--input", str(source), "--output", str(output)])
    captured = capsys.readouterr()
    return code, captured.err, output


def _with(row_number: int, **change: object) -> list[dict[str, object]]:
    rows = valid_rows(20)
    rows[row_number - 1] = episode(row_number, **change)
    return rows


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            _with(3, referral_date="2025-13-01"),
            "referral_date is not a date in YYYY-MM-DD form in row 3",
        ),
        (
            _with(4, first_session_date="15/01/2025"),
            "first_session_date is not a date in YYYY-MM-DD form in row 4",
        ),
        (
            _with(5, sessions_scheduled=-1, sessions_attended=0),
            "sessions_scheduled is negative in row 5",
        ),
        (
            _with(6, sessions_attended=9, sessions_scheduled=8),
            "sessions_attended is greater than sessions_scheduled in row 6",
        ),
        (
            _with(7, end_reason="finished"),
            "end_reason is not one of completed|dropped_out|transferred|ongoing in row 7",
        ),
        (_with(8, phq9_first=31), "phq9_first is outside 0-27 in row 8"),
        (_with(9, humility_mean="high"), "humility_mean is not a number in row 9"),
        (_with(10, episode_id="e1"), "episode_id repeats an earlier episode_id in row 10"),
        (_with(11, client_id=""), "client_id is empty in row 11"),
        (
            _with(12, first_session_date="2024-12-01"),
            "first_session_date is before referral_date in row 12",
        ),
        (_with(2, sessions_attended=2.5), "sessions_attended is not a whole number in row 2"),
        (_with(3, sessions_scheduled="inf"), "sessions_scheduled is not a finite number in row 3"),
        (_with(4, gad7_last="nan"), "gad7_last is outside 0-21 in row 4"),
    ],
)
def test_it_names_the_offending_rows_and_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: list[dict[str, object]], expected: str
) -> None:
    code, error, output = _run(tmp_path, rows, capsys)
    assert code == 2
    assert expected in error
    assert "Traceback" not in error
    assert not output.exists()


def test_it_lists_the_first_rows_of_a_repeated_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = valid_rows(20)
    for number in (4, 6, 8, 10, 12, 14, 16):
        rows[number - 1] = episode(number, sessions_attended=10, sessions_scheduled=3)
    code, error, _ = _run(tmp_path, rows, capsys)
    assert code == 2
    assert "in rows 4, 6, 8, 10, 12 and 2 more" in error


def test_it_names_a_missing_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    columns = tuple(name for name in (*EPISODE_COLUMNS, *ATTRIBUTES) if name != "end_reason")
    code, error, _ = _run(tmp_path, valid_rows(), capsys, columns)
    assert code == 2
    assert "missing required column: end_reason" in error


def test_it_suggests_the_right_name_for_a_misnamed_column(tmp_path: Path) -> None:
    source = write_rows(tmp_path / "episodes.csv", valid_rows())
    text = source.read_text().replace("referral_date", "referal_date", 1)
    source.write_text(text)
    with pytest.raises(EquityInputError, match=r"referral_date \(found 'referal_date' instead\?\)"):
        load_episodes(source)


def test_it_rejects_an_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "episodes.csv"
    source.write_text("")
    assert main(["report", "--input", str(source)]) == 2
    assert "the file is empty" in capsys.readouterr().err


def test_it_rejects_a_header_without_episodes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, error, _ = _run(tmp_path, [], capsys)
    assert code == 2
    assert "has a header but no episodes" in error


def test_it_rejects_a_file_that_is_not_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "episodes.parquet"
    source.write_text("this is not parquet")
    assert main(["report", "--input", str(source)]) == 2
    assert "cannot be read as Parquet" in capsys.readouterr().err


def test_it_reads_parquet_like_csv(tmp_path: Path) -> None:
    source = write_rows(tmp_path / "episodes.csv", valid_rows())
    from_csv = load_episodes(source)
    parquet = tmp_path / "episodes.parquet"
    pl.read_csv(source).write_parquet(parquet)
    assert load_episodes(parquet).equals(from_csv)


def test_it_reports_bad_values_in_parquet_too(tmp_path: Path) -> None:
    frame = pl.read_csv(write_rows(tmp_path / "episodes.csv", valid_rows()))
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 4)
        .then(-3)
        .otherwise(pl.col("sessions_attended"))
        .alias("sessions_attended")
    )
    parquet = tmp_path / "episodes.parquet"
    frame.write_parquet(parquet)
    with pytest.raises(EquityInputError, match="sessions_attended is negative in row 5"):
        load_episodes(parquet)


def test_it_accepts_empty_numbers_and_dates(tmp_path: Path) -> None:
    rows = valid_rows()
    rows[0] = episode(
        1,
        first_session_date="",
        end_date="",
        end_reason="ongoing",
        sessions_scheduled="",
        sessions_attended="",
        phq9_first="",
        humility_mean="",
    )
    frame = load_episodes(write_rows(tmp_path / "episodes.csv", rows))
    assert frame.height == 30
    assert frame.get_column("first_session_date").null_count() == 1
