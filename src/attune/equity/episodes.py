"""Read and validate an episode file (CSV or Parquet) into a typed polars frame."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from attune.equity import schema
from attune.equity.errors import EquityInputError

ROWS_NAMED = 5
PROBLEMS_NAMED = 8
_ROW = "__row__"


@dataclass(frozen=True)
class _Check:
    """One rule on the rows: ``bad`` is true where a row breaks it."""

    columns: tuple[str, ...]
    problem: str
    bad: pl.Expr


# Columns read as numbers, and those of them that must be whole (cast to Int64).
_NUMBER_COLUMNS = frozenset({*schema.COUNT_COLUMNS, *schema.SCORE_RANGES, *schema.NOTE_COLUMNS})
_WHOLE_COLUMNS = frozenset({*schema.COUNT_COLUMNS, *schema.NOTE_COLUMNS})


def load_episodes(path: str | Path, *, categorical: bool = True) -> pl.DataFrame:
    """Read an episode file, check every rule, and return the typed frame.

    Raise ``EquityInputError`` naming the first offending rows and columns when the file
    cannot be used; nothing is computed from a file that fails any rule.

    With ``categorical`` (the default) the text columns that hold few distinct values (the
    self-identified attributes and ``end_reason``) are read as ``pl.Categorical``: each
    distinct text is stored once and the rows hold small integer codes, so grouping by them
    is cheap. ``categorical=False`` reads them as plain text, the slower path that gives the
    same report (``tests/equity/test_fast_path.py``).
    """
    path = Path(path)
    raw = _read_raw(path, categorical=categorical)
    return validate_episodes(raw, source=path.name)


def _read_raw(path: Path, *, categorical: bool = True) -> pl.DataFrame:
    if not path.is_file():
        raise EquityInputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise EquityInputError(f"{path.name}: the file is empty")
    suffix = path.suffix.lower()
    try:
        if suffix in {".parquet", ".pq"}:
            frame = pl.read_parquet(path)
            return _as_categorical(frame) if categorical else frame
        return _read_csv(path, categorical=categorical)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as error:
        message = str(error).strip()
        first_line = message.splitlines()[0] if message else type(error).__name__
        raise EquityInputError(
            f"{path.name}: cannot be read as {_kind(suffix)}: {first_line}"
        ) from None


def _is_category_column(name: str) -> bool:
    """Return whether a column holds few distinct texts: an attribute or the end reason."""
    return name == schema.END_REASON or (
        name not in schema.EPISODE_COLUMNS and name not in schema.NOTE_COLUMNS
    )


def _as_categorical(frame: pl.DataFrame) -> pl.DataFrame:
    """Return ``frame`` with its text attribute and end-reason columns as categoricals."""
    return frame.with_columns(
        pl.col(name).cast(pl.Categorical())
        for name, dtype in frame.schema.items()
        if dtype == pl.String and _is_category_column(name)
    )


def _read_csv(path: Path, *, categorical: bool = True) -> pl.DataFrame:
    """Read typed when every value parses (fast); otherwise as text, to report bad values."""
    header = pl.read_csv(path, n_rows=0, infer_schema=False).columns
    typed_columns: dict[str, pl.DataType] = {}
    for name in header:
        if name in schema.DATE_COLUMNS:
            typed_columns[name] = pl.Date()
        elif name in _NUMBER_COLUMNS:
            typed_columns[name] = pl.Float64()
        elif categorical and _is_category_column(name):
            typed_columns[name] = pl.Categorical()
        else:
            typed_columns[name] = pl.String()
    try:
        return pl.read_csv(path, schema_overrides=typed_columns, infer_schema=False)
    except pl.exceptions.PolarsError:
        frame = pl.read_csv(path, infer_schema=False)
        return _as_categorical(frame) if categorical else frame


def _kind(suffix: str) -> str:
    return "Parquet" if suffix in {".parquet", ".pq"} else "CSV"


def validate_episodes(raw: pl.DataFrame, *, source: str = "input") -> pl.DataFrame:
    """Check a frame of episodes against every rule and return it typed.

    Dates become ``pl.Date``, counts ``Int64``, scores ``Float64`` and every other
    column (a self-identified attribute) text. Text columns are parsed here; columns
    that already have their type are taken as they are. Rows are numbered from 1 for
    the first row after the header.
    """
    _check_columns(raw, source)
    if raw.height == 0:
        raise EquityInputError(f"{source}: the file has a header but no episodes")
    typed_columns: list[pl.Expr] = []
    unparsed: dict[str, pl.Expr] = {}
    for name in raw.columns:
        expression, was_text = _typed(raw, name)
        typed_columns.append(expression.alias(name))
        if was_text:
            unparsed[name] = _blank_to_null(pl.col(name)).is_not_null()
    typed = raw.select(
        typed_columns + [flag.alias(f"{name}__given") for name, flag in unparsed.items()]
    )
    problems = _find_problems(typed, set(unparsed))
    if problems:
        raise EquityInputError(_describe(source, problems))
    return typed.select(
        [
            pl.col(name).cast(pl.Int64) if name in _WHOLE_COLUMNS else pl.col(name)
            for name in raw.columns
        ]
    )


def _blank_to_null(text: pl.Expr) -> pl.Expr:
    stripped = text.str.strip_chars()
    # An empty or blank cell means "not given", the same as a null in Parquet.
    return pl.when(stripped == "").then(None).otherwise(stripped)


def _typed(raw: pl.DataFrame, name: str) -> tuple[pl.Expr, bool]:
    """Return the typed expression of a column, and whether it had to be parsed from text."""
    dtype = raw.schema[name]
    column = pl.col(name)
    if name in schema.DATE_COLUMNS:
        if dtype == pl.Date:
            return column, False
        if isinstance(dtype, pl.Datetime):
            return column.dt.date(), False
        text = _blank_to_null(column.cast(pl.String))
        return text.str.to_date("%Y-%m-%d", strict=False), True
    if name in _NUMBER_COLUMNS:
        if dtype.is_numeric() or dtype == pl.Null:
            return column.cast(pl.Float64), False
        text = _blank_to_null(column.cast(pl.String))
        return text.cast(pl.Float64, strict=False), True
    if dtype == pl.String:
        # Identifiers only need to be present; the reason must match a fixed word exactly.
        return (_blank_to_null(column) if name == schema.END_REASON else column), False
    if isinstance(dtype, pl.Categorical):
        if name == schema.END_REASON and not _clean_categories(raw.get_column(name)):
            return _blank_to_null(column.cast(pl.String)), False
        return column, False
    return column.cast(pl.String), False


def _clean_categories(column: pl.Series) -> bool:
    """Return whether no value of a categorical column is blank or has spaces to trim.

    Only the distinct values are looked at, so this costs nothing per row; a column with
    a value to clean is cleaned row by row as text, exactly as a text column is.
    """
    values = column.unique().drop_nulls().cast(pl.String)
    return bool((values == values.str.strip_chars()).all()) and not bool((values == "").any())


def attribute_columns(frame: pl.DataFrame) -> list[str]:
    """Return the self-identified attribute columns: every column not in the schema."""
    known = {*schema.EPISODE_COLUMNS, *schema.NOTE_COLUMNS}
    return [name for name in frame.columns if name not in known]


def has_notes(frame: pl.DataFrame) -> bool:
    """Return whether the frame has the optional pair of note columns."""
    return all(name in frame.columns for name in schema.NOTE_COLUMNS)


def _check_columns(raw: pl.DataFrame, source: str) -> None:
    present = set(raw.columns)
    missing = [name for name in schema.EPISODE_COLUMNS if name not in present]
    notes = [name for name in schema.NOTE_COLUMNS if name in present]
    if not missing and len(notes) == 1:
        other = next(name for name in schema.NOTE_COLUMNS if name not in present)
        raise EquityInputError(
            f"{source}: {notes[0]} needs {other} beside it: give both note columns or neither"
        )
    if not missing:
        return
    unknown = [
        name
        for name in raw.columns
        if name not in schema.EPISODE_COLUMNS and name not in schema.NOTE_COLUMNS
    ]
    hints = []
    for name in missing:
        close = difflib.get_close_matches(name, unknown, n=1, cutoff=0.75)
        hints.append(f"{name} (found {close[0]!r} instead?)" if close else name)
    raise EquityInputError(
        f"{source}: missing required column{'s' if len(missing) > 1 else ''}: "
        + ", ".join(hints)
        + ". The header must name every one of: "
        + ", ".join(schema.EPISODE_COLUMNS)
    )


def _note_checks(parsed_from_text: set[str]) -> list[_Check]:
    """Return the rules of the optional note columns (only called when both are there)."""
    checks: list[_Check] = []
    for name in schema.NOTE_COLUMNS:
        if name in parsed_from_text:
            checks.append(
                _Check(
                    (name,), "is not a number", pl.col(f"{name}__given") & pl.col(name).is_null()
                )
            )
        checks.append(_Check((name,), "is not a finite number", ~pl.col(name).is_finite()))
        checks.append(_Check((name,), "is negative", pl.col(name) < 0))
        checks.append(
            _Check(
                (name,),
                "is not a whole number",
                pl.col(name).is_finite() & (pl.col(name) != pl.col(name).floor()),
            )
        )
    words, findings = pl.col(schema.NOTE_WORDS), pl.col(schema.NOTE_FINDINGS)
    checks.append(
        _Check(
            (schema.NOTE_FINDINGS, schema.NOTE_WORDS),
            "note_findings is greater than note_words",
            words.is_finite() & findings.is_finite() & (findings > words),
        )
    )
    checks.append(
        _Check(
            (schema.NOTE_FINDINGS, schema.NOTE_WORDS),
            "only one of note_words and note_findings is given",
            findings.is_not_null() != words.is_not_null(),
        )
    )
    return checks


def _checks(parsed_from_text: set[str], ids_may_repeat: bool) -> list[_Check]:
    """Return every row rule; parse rules only for columns that were text."""
    checks: list[_Check] = []
    for name in schema.REQUIRED_VALUES:
        column = pl.col(name)
        blank = (
            column.str.strip_chars() == ""
            if name in (schema.EPISODE_ID, schema.CLIENT_ID)
            else False
        )
        checks.append(_Check((name,), "is empty", column.is_null() | blank))
    if ids_may_repeat:
        checks.append(
            _Check(
                (schema.EPISODE_ID,),
                "repeats an earlier episode_id",
                ~pl.col(schema.EPISODE_ID).is_first_distinct(),
            )
        )
    for name in schema.DATE_COLUMNS:
        if name not in parsed_from_text:
            continue
        checks.append(
            _Check(
                (name,),
                "is not a date in YYYY-MM-DD form",
                pl.col(f"{name}__given") & pl.col(name).is_null(),
            )
        )
    checks.append(
        _Check(
            (schema.FIRST_SESSION_DATE, schema.REFERRAL_DATE),
            "first_session_date is before referral_date",
            pl.col(schema.FIRST_SESSION_DATE) < pl.col(schema.REFERRAL_DATE),
        )
    )
    checks.append(
        _Check(
            (schema.END_DATE, schema.REFERRAL_DATE),
            "end_date is before referral_date",
            pl.col(schema.END_DATE) < pl.col(schema.REFERRAL_DATE),
        )
    )
    checks.append(
        _Check(
            (schema.END_DATE, schema.FIRST_SESSION_DATE),
            "end_date is before first_session_date",
            pl.col(schema.END_DATE) < pl.col(schema.FIRST_SESSION_DATE),
        )
    )
    checks.append(
        _Check(
            (schema.END_REASON,),
            "is not one of " + "|".join(schema.END_REASONS),
            pl.col(schema.END_REASON).is_not_null()
            & ~pl.col(schema.END_REASON).is_in(list(schema.END_REASONS)),
        )
    )
    for name in (*schema.COUNT_COLUMNS, *schema.SCORE_RANGES):
        if name not in parsed_from_text:
            continue
        checks.append(
            _Check(
                (name,),
                "is not a number",
                pl.col(f"{name}__given") & pl.col(name).is_null(),
            )
        )
    for name in schema.COUNT_COLUMNS:
        checks.append(_Check((name,), "is not a finite number", ~pl.col(name).is_finite()))
        checks.append(_Check((name,), "is negative", pl.col(name) < 0))
        checks.append(
            _Check(
                (name,),
                "is not a whole number",
                pl.col(name).is_finite() & (pl.col(name) != pl.col(name).floor()),
            )
        )
    checks.append(
        _Check(
            (schema.SESSIONS_ATTENDED, schema.SESSIONS_SCHEDULED),
            "sessions_attended is greater than sessions_scheduled",
            pl.col(schema.SESSIONS_ATTENDED).is_finite()
            & pl.col(schema.SESSIONS_SCHEDULED).is_finite()
            & (pl.col(schema.SESSIONS_ATTENDED) > pl.col(schema.SESSIONS_SCHEDULED)),
        )
    )
    for name, (low, high) in schema.SCORE_RANGES.items():
        checks.append(
            _Check(
                (name,),
                f"is outside {low:g}-{high:g}",
                (pl.col(name) < low) | (pl.col(name) > high) | pl.col(name).is_nan(),
            )
        )
    return checks


def _find_problems(
    typed: pl.DataFrame, parsed_from_text: set[str]
) -> list[tuple[_Check, list[int], int]]:
    # Distinct hashes prove distinct ids; only a clash needs the slower exact rule.
    ids = typed.get_column(schema.EPISODE_ID)
    ids_may_repeat = ids.hash().n_unique() < typed.height
    checks = _checks(parsed_from_text, ids_may_repeat)
    if has_notes(typed):
        checks += _note_checks(parsed_from_text)
    counts = typed.select(
        [
            check.bad.fill_null(False).sum().alias(f"check{index}")
            for index, check in enumerate(checks)
        ]
    ).row(0)
    problems = []
    for check, count in zip(checks, counts, strict=True):
        if not count:
            continue
        rows = (
            typed.with_row_index(_ROW, offset=1)
            .filter(check.bad.fill_null(False))
            .get_column(_ROW)
            .head(ROWS_NAMED)
            .to_list()
        )
        problems.append((check, rows, int(count)))
    problems.sort(key=lambda problem: problem[1][0])
    return problems


def _describe(source: str, problems: list[tuple[_Check, list[int], int]]) -> str:
    lines = [
        f"{source}: cannot compute a report; fix these rows (row 1 is the first after the header):"
    ]
    for check, rows, count in problems[:PROBLEMS_NAMED]:
        problem = check.problem if len(check.columns) > 1 else f"{check.columns[0]} {check.problem}"
        row_list = ", ".join(str(row) for row in rows)
        more = f" and {count - len(rows)} more" if count > len(rows) else ""
        lines.append(f"  {problem} in row{'s' if count > 1 else ''} {row_list}{more}")
    if len(problems) > PROBLEMS_NAMED:
        lines.append(f"  and {len(problems) - PROBLEMS_NAMED} more kinds of problem")
    return "\n".join(lines)
