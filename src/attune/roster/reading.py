"""Reading a roster or schedule CSV file into rows, whatever the spreadsheet that wrote it.

Pure (no Django): bytes in, a ``Table`` or one ``FileProblem`` out.  It copes with a byte-order
mark, semicolon or tab delimiters, quoted cells with line breaks, files saved as Windows-1252 or
Latin-1 instead of UTF-8 (said in a note), and column headings written as "External ID" or
"external_id".  It refuses, with one sentence, an empty file, a file that is not text, a file
missing a required column and a file over the row limit.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

DEFAULT_MAX_ROWS = 5000
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
# Bytes a cp1252 file never holds (undefined in that code page): such a file is read as Latin-1.
CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


class FileProblem(Exception):
    """The file as a whole cannot be read; ``str()`` is one sentence for the person importing."""


@dataclass(frozen=True)
class Row:
    """One data row: its number as a spreadsheet shows it (the header is row 1) and its cells."""

    number: int
    cells: dict[str, str]

    def key(self) -> tuple:
        return tuple(sorted(self.cells.items()))


@dataclass
class Table:
    """The rows of a file, with notes on how it was read (encoding, delimiter, ignored columns)."""

    rows: list[Row]
    encoding: str
    delimiter: str
    notes: list[str] = field(default_factory=list)


def normalise_heading(heading: str) -> str:
    """Return a column heading as a key: "External ID" and "external-id" become "external_id"."""
    heading = heading.strip().strip("\ufeff").strip().lower()
    return re.sub(r"[^a-z0-9]+", "_", heading).strip("_")


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Return ``data`` as text, the encoding used and notes on it.

    UTF-8 (with or without a byte-order mark) and UTF-16 with its mark are read as they are.
    Anything else is read as Windows-1252, the usual "ANSI" of spreadsheets on Windows (or
    Latin-1 when it holds bytes cp1252 leaves undefined), and a note says so.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16", []
    if b"\x00" in data:
        raise FileProblem(
            "The file is not a text CSV file (it contains NUL bytes); save it from the "
            "spreadsheet as 'CSV UTF-8'."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        position = error.start
        if set(data) & CP1252_UNDEFINED:
            encoding, label = "latin-1", "Latin-1 (ISO-8859-1)"
        else:
            encoding, label = "cp1252", "Windows-1252"
        line = data[:position].count(b"\n") + 1
        note = (
            f"The file is not UTF-8 (the first byte that is not, on line {line}); it was read "
            f"as {label}. Check accented names in the preview, or save the file as 'CSV UTF-8'."
        )
        return data.decode(encoding), encoding, [note]
    return text, "UTF-8", []


def sniff_delimiter(header_line: str) -> str:
    """Return the delimiter of a file from its header line: the most frequent candidate outside
    quotes (a comma when there is none, as for a file of one column)."""
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = {delimiter: outside.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_table(
    data: bytes,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    aliases: dict[str, str] | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Table:
    """Read ``data`` (the bytes of a CSV file) into rows keyed by the known column names."""
    aliases = aliases or {}
    if not data.strip():
        raise FileProblem("The file is empty: there is no header row and no data.")
    text, encoding, notes = decode(data)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise FileProblem("The file is empty: there is no header row and no data.")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(reader)
    except csv.Error as error:
        raise FileProblem(f"The header row cannot be read as CSV ({error}).") from error
    columns = [aliases.get(normalise_heading(h), normalise_heading(h)) for h in header]
    known = set(required) | set(optional)
    missing = [name for name in required if name not in columns]
    if missing:
        found = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
        raise FileProblem(
            f"Missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)} "
            f"(the header row has: {found}; read with {DELIMITERS[delimiter]}s between cells)."
        )
    repeated = sorted({name for name in columns if name in known and columns.count(name) > 1})
    if repeated:
        raise FileProblem(f"The column {repeated[0]} appears twice in the header row.")
    ignored = [h.strip() for h, name in zip(header, columns, strict=True) if name not in known]
    if any(ignored):
        notes.append("Columns not used: " + ", ".join(h for h in ignored if h) + ".")
    if delimiter != ",":
        notes.append(f"Cells are separated by {DELIMITERS[delimiter]}s.")
    rows: list[Row] = []
    number = 1
    try:
        for cells in reader:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue  # a blank line between rows, as spreadsheets leave at the end
            if len(rows) >= max_rows:
                raise FileProblem(
                    f"The file has more than {max_rows} rows; split it into files of at most "
                    f"{max_rows} rows and import them one after the other."
                )
            values = {
                name: cells[index].strip() if index < len(cells) else ""
                for index, name in enumerate(columns)
                if name in known
            }
            rows.append(Row(number=number, cells=values))
    except csv.Error as error:
        raise FileProblem(f"Row {number + 1} cannot be read as CSV ({error}).") from error
    if not rows:
        raise FileProblem("The file has a header row but no rows below it.")
    return Table(rows=rows, encoding=encoding, delimiter=delimiter, notes=notes)
