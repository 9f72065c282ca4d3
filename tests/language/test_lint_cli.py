"""``attune lint``: exit codes, output formats and one-line errors."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from attune.language.cli import main

from .builders import make_pdf

FINDING_KEYS = {
    "line",
    "column",
    "end_line",
    "end_column",
    "text",
    "rule",
    "category",
    "severity",
    "message",
    "suggestions",
}


def run(
    argv: list[str], capsys, stdin: str | None = None, monkeypatch=None
) -> tuple[int, str, str]:
    """Run the CLI and return (status, stdout, stderr)."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def note(tmp_path: Path) -> Path:
    path = tmp_path / "note.txt"
    path.write_text("Client claims pain.\nClient reports sleep is better.\n", encoding="utf-8")
    return path


def test_it_exits_1_with_findings_and_0_without(note: Path, tmp_path: Path, capsys) -> None:
    assert run(["--profile", "notes", str(note)], capsys)[0] == 1
    clean = tmp_path / "clean.txt"
    clean.write_text("Client reports sleep is better.\n", encoding="utf-8")
    assert run(["--profile", "notes", str(clean)], capsys)[0] == 0


def test_it_raises_the_bar_with_fail_on(note: Path, capsys) -> None:
    assert run(["--profile", "notes", "--fail-on", "error", str(note)], capsys)[0] == 0
    assert run(["--profile", "notes", "--fail-on", "info", str(note)], capsys)[0] == 1


def test_it_prints_file_line_column_words_why_and_a_suggestion(note: Path, capsys) -> None:
    _, out, _ = run(["--profile", "notes", str(note)], capsys)
    first = out.splitlines()[0]
    assert first == f'{note}:1:8: warning [credibility-doubt] "claims"'
    assert "why:" in out and "try: reports" in out


def test_it_writes_json_in_exactly_the_contract_shape(note: Path, capsys) -> None:
    status, out, _ = run(["--profile", "notes", "--format", "json", str(note)], capsys)
    document = json.loads(out)
    assert status == 1
    assert set(document) == {"files"}
    file_report = document["files"][0]
    assert {"path", "findings", "checks", "readability"} <= set(file_report)
    finding = file_report["findings"][0]
    assert set(finding) == FINDING_KEYS
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (
        1,
        8,
        1,
        14,
    )
    assert finding["severity"] in {"info", "warning", "error"}
    assert isinstance(finding["suggestions"], list)
    assert {"grade", "method"} <= set(file_report["readability"])
    assert isinstance(file_report["readability"]["grade"], float)
    for check in file_report["checks"]:
        assert set(check) == {"check", "status", "message"}
        assert check["status"] in {"present", "missing", "not_applicable"}


def test_it_writes_valid_sarif(note: Path, capsys) -> None:
    _, out, _ = run(["--profile", "notes", "--format", "sarif", str(note)], capsys)
    log = json.loads(out)
    assert log["version"] == "2.1.0" and "$schema" in log
    run_ = log["runs"][0]
    rule_ids = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    result = run_["results"][0]
    assert result["ruleId"] in rule_ids
    assert result["level"] == "warning"
    assert result["message"]["text"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("note.txt")
    assert location["region"] == {"startLine": 1, "startColumn": 8, "endLine": 1, "endColumn": 14}


def test_it_writes_an_accessible_html_report(note: Path, capsys) -> None:
    _, out, _ = run(["--profile", "notes", "--format", "html", str(note)], capsys)
    assert out.startswith("<!doctype html>")
    assert '<html lang="en">' in out
    assert "<h1>" in out and "<h2" in out
    assert "<mark" in out and "claims</mark>" in out
    assert "Why:" in out and "Try instead:" in out
    assert "<script" not in out and "http" not in out.split("<body>")[1].split("Source:")[0]


def test_it_reads_stdin(capsys, monkeypatch) -> None:
    status, out, _ = run(
        ["--profile", "notes", "--format", "json", "-"],
        capsys,
        stdin="Patient refused labs.",
        monkeypatch=monkeypatch,
    )
    assert status == 1
    assert json.loads(out)["files"][0]["findings"][0]["rule"] == "disapproval-refused"


@pytest.mark.parametrize(
    "argv",
    [[], ["--profile", "letters", "x.txt"], ["--format", "xml", "x.txt"], ["--nope", "x.txt"]],
)
def test_it_exits_2_with_one_line_for_usage_errors(argv: list[str], capsys) -> None:
    status, out, err = run(argv, capsys)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_it_exits_2_for_unreadable_input(tmp_path: Path, capsys) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(make_pdf(["secret"], encrypted=True))
    for target in (str(tmp_path / "missing.txt"), str(locked), str(tmp_path)):
        status, _, err = run([target], capsys)
        assert status == 2
        assert len(err.strip().splitlines()) == 1


def test_it_exits_2_for_a_bad_config(note: Path, tmp_path: Path, capsys) -> None:
    config = tmp_path / "lint.yaml"
    config.write_text("profile: [unclosed\n", encoding="utf-8")
    status, _, err = run(["--config", str(config), str(note)], capsys)
    assert status == 2 and "not valid YAML" in err


def test_it_takes_fail_on_and_allow_list_from_config(note: Path, tmp_path: Path, capsys) -> None:
    config = tmp_path / "lint.yaml"
    config.write_text("profile: notes\nallow:\n  - credibility-doubt\n", encoding="utf-8")
    assert run(["--config", str(config), str(note)], capsys)[0] == 0


def test_it_runs_as_a_module_without_a_traceback(tmp_path: Path) -> None:
    import subprocess

    target = tmp_path / "form.txt"
    target.write_text("Title: Mr / Mrs / Ms\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "attune.language.cli", "--format", "json", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert json.loads(completed.stdout)["files"][0]["findings"][0]["rule"] == "honorific-forced"
    broken = subprocess.run(
        [sys.executable, "-m", "attune.language.cli", "--fail-on", "never", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert broken.returncode == 2 and "Traceback" not in broken.stderr
