"""Readers: HTML, Markdown, DOCX, PDF, FHIR Questionnaire JSON and plain text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from attune.language import ReaderError, audit_bytes, audit_path, audit_text
from attune.language.readers import detect_kind

from .builders import make_docx, make_pdf

# The shared fixtures sit beside the repository, as in CI.
INTAKE_FIXTURE = (
    Path(
        os.environ.get("ATTUNE_SHARED_FIXTURES")
        or Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
    )
    / "intake"
    / "medplum-patient-intake-abridged.json"
)
# On a fresh clone without ../shared the tests that read it skip with one line.
needs_intake = pytest.mark.skipif(
    not INTAKE_FIXTURE.is_file(), reason=f"published intake form not found at {INTAKE_FIXTURE}"
)


def test_it_reports_html_findings_at_their_source_position() -> None:
    html = '<html lang="en">\n<body>\n  <p>For <b>handicapped</b> parking, ask.</p>\n</body>'
    finding = audit_bytes(html.encode(), "page.html").findings[0]
    assert (finding.line, finding.column, finding.text) == (3, 13, "handicapped")


def test_it_ignores_html_markup_scripts_and_comments() -> None:
    html = (
        '<div class="addict"><script>var crazy = 1;</script><!-- crazy -->'
        "<style>.insane{}</style><p>Welcome.</p></div>"
    )
    assert audit_bytes(html.encode(), "page.html").findings == []


def test_it_scans_placeholders_and_alt_text() -> None:
    html = '<input name="n" placeholder="Your Christian name">'
    assert [f.rule for f in audit_bytes(html.encode(), "f.html").findings] == ["christian-name"]


def test_it_skips_markdown_code_and_link_targets() -> None:
    markdown = (
        "See [our page](https://x.test/crazy-addict).\n\n```\naddict\n```\n\nWe help addicts."
    )
    report = audit_bytes(markdown.encode(), "m.md", profile="materials")
    assert [(f.line, f.text) for f in report.findings] == [(7, "addicts")]


def test_it_reads_docx_paragraphs_and_table_rows_as_lines() -> None:
    data = make_docx(["Intake", "Mother's name: ____"], [["Gender", "\u2610 Male \u2610 Female"]])
    report = audit_bytes(data, "intake.docx")
    assert [(f.rule, f.line) for f in report.findings] == [
        ("family-role-field", 2),
        ("sex-binary-only", 3),
    ]
    assert report.lines[2] == "Gender | \u2610 Male \u2610 Female"


def test_it_reads_pdf_text() -> None:
    data = make_pdf(["Intake form", "Is the client wheelchair-bound?"])
    report = audit_bytes(data, "intake.pdf")
    assert [(f.rule, f.line, f.column) for f in report.findings] == [
        ("disability-equipment-bound", 2, 15)
    ]


def test_it_refuses_an_encrypted_pdf_with_one_clear_line() -> None:
    with pytest.raises(ReaderError, match="encrypted") as raised:
        audit_bytes(make_pdf(["secret"], encrypted=True), "locked.pdf")
    assert "\n" not in str(raised.value)


def test_it_refuses_a_broken_pdf_or_docx() -> None:
    with pytest.raises(ReaderError):
        audit_bytes(b"%PDF-1.4 nothing else", "broken.pdf")
    with pytest.raises(ReaderError):
        audit_bytes(b"PK\x03\x04 not a zip", "broken.docx")


def test_it_scans_only_the_text_values_of_a_questionnaire() -> None:
    questionnaire = (
        '{"resourceType": "Questionnaire", "item": [\n'
        '  {"linkId": "addict", "type": "string", "text": "Are you an addict?"}\n]}'
    )
    report = audit_bytes(questionnaire.encode(), "q.json")
    expected_column = questionnaire.split("\n")[1].index("an addict") + 4
    assert [(f.line, f.column, f.text) for f in report.findings] == [(2, expected_column, "addict")]


@needs_intake
def test_it_reads_the_real_intake_questionnaire() -> None:
    report = audit_path(INTAKE_FIXTURE)
    assert report.profile == "forms"
    assert report.findings == []


def test_it_reports_invalid_json_as_unreadable() -> None:
    with pytest.raises(ReaderError, match="not valid JSON"):
        audit_bytes(b'{"resourceType": "Questionnaire",', "q.json")


def test_it_detects_kinds_from_content_before_names() -> None:
    assert detect_kind(b"%PDF-1.7", "notes.txt") == "pdf"
    assert detect_kind(b"PK\x03\x04", "x") == "docx"
    assert detect_kind(b'{"resourceType": "Questionnaire"}', "q") == "fhir"
    assert detect_kind(b"<!doctype html><p>x</p>", "page") == "html"
    assert detect_kind(b"plain words", "notes") == "text"


def test_it_accepts_windows_1252_text() -> None:
    report = audit_bytes("Caf\u00e9 for the elderly".encode("cp1252"), "x.txt", profile="materials")
    assert [f.text for f in report.findings] == ["elderly"]


def test_it_audits_pasted_html_text() -> None:
    report = audit_text("<p>Our chairman says hi.</p>", kind="html", profile="materials")
    assert [f.text for f in report.findings] == ["chairman"]


def test_it_reports_only_the_visible_words_when_a_span_crosses_tags() -> None:
    html = '<label><input type="radio" name="s"> Male</label>\n<label><input type="radio"> Female'
    finding = audit_bytes(html.encode(), "f.html").findings[0]
    assert finding.rule == "sex-binary-only"
    assert finding.text == "Male Female"
    assert html[finding.start_offset : finding.end_offset].endswith("Female")
