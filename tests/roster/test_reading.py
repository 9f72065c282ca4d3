"""Reading CSV files as spreadsheets write them: BOM, semicolons, line breaks, cp1252, limits."""

from __future__ import annotations

import pytest

from attune.roster.reading import FileProblem, normalise_heading, read_table

REQUIRED = ("external_id", "chosen_name", "therapist")
OPTIONAL = ("pronouns",)


def read(data: bytes, **kwargs):
    return read_table(data, required=REQUIRED, optional=OPTIONAL, **kwargs)


def test_a_plain_file_is_read_with_spreadsheet_row_numbers():
    table = read(b"external_id,chosen_name,therapist\nR-1,Quinn,ana\nR-2,Sam,ben\n")
    assert [row.number for row in table.rows] == [2, 3]
    assert table.rows[0].cells == {"external_id": "R-1", "chosen_name": "Quinn", "therapist": "ana"}
    assert table.encoding == "UTF-8" and table.notes == []


def test_a_byte_order_mark_does_not_hide_the_first_column():
    table = read("\ufeffexternal_id,chosen_name,therapist\nR-1,Zoë,ana\n".encode())
    assert table.rows[0].cells["external_id"] == "R-1"
    assert table.rows[0].cells["chosen_name"] == "Zoë"


def test_semicolons_are_sniffed_from_the_header():
    table = read(b"External ID;Chosen name;Therapist\nR-1;Quinn, Jr;ana\n")
    assert table.delimiter == ";"
    assert table.rows[0].cells["chosen_name"] == "Quinn, Jr"
    assert any("semicolon" in note for note in table.notes)


def test_a_quoted_cell_may_hold_a_line_break_and_row_numbers_stay_by_row():
    table = read(b'external_id,chosen_name,therapist\nR-1,"Quinn\nSecond line",ana\nR-2,Sam,ana\n')
    assert table.rows[0].cells["chosen_name"] == "Quinn\nSecond line"
    assert [row.number for row in table.rows] == [2, 3]


def test_a_windows_1252_file_is_decoded_and_said_so():
    data = "external_id,chosen_name,therapist\nR-1,José Núñez,ana\n".encode("cp1252")
    table = read(data)
    assert table.rows[0].cells["chosen_name"] == "José Núñez"
    assert table.encoding == "cp1252"
    assert "not UTF-8" in table.notes[0] and "Windows-1252" in table.notes[0]


def test_a_utf16_file_with_its_mark_is_read():
    data = "external_id,chosen_name,therapist\nR-1,王芳,ana\n".encode("utf-16")
    assert read(data).rows[0].cells["chosen_name"] == "王芳"


@pytest.mark.parametrize("data", [b"", b"   \n\n", "\ufeff".encode()])
def test_an_empty_file_is_refused_in_one_sentence(data):
    with pytest.raises(FileProblem, match="The file is empty"):
        read(data)


def test_a_header_without_rows_is_refused():
    with pytest.raises(FileProblem, match="no rows below it"):
        read(b"external_id,chosen_name,therapist\n\n")


def test_a_missing_required_column_is_named():
    with pytest.raises(FileProblem) as caught:
        read(b"external_id,name_of_client\nR-1,Quinn\n")
    message = str(caught.value)
    assert "Missing required columns: chosen_name, therapist" in message
    assert "external_id, name_of_client" in message


def test_over_the_row_limit_is_refused_with_the_limit():
    rows = "".join(f"R-{n},Name {n},ana\n" for n in range(11))
    with pytest.raises(FileProblem, match="more than 10 rows; split it"):
        read(("external_id,chosen_name,therapist\n" + rows).encode(), max_rows=10)


def test_a_binary_file_is_refused():
    with pytest.raises(FileProblem, match="NUL bytes"):
        read(b"PK\x03\x04\x00\x00binary")


def test_unknown_columns_are_noted_and_blank_lines_skipped():
    table = read(b"external_id,chosen_name,therapist,shoe_size\nR-1,Quinn,ana,9\n\n,,,\n")
    assert len(table.rows) == 1 and "shoe_size" not in table.rows[0].cells
    assert "Columns not used: shoe_size." in table.notes


def test_headings_are_normalised():
    assert normalise_heading(" External-ID ") == "external_id"
    assert normalise_heading("Therapist username") == "therapist_username"
