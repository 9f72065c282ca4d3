"""The ``attune equity report`` command: formats, options and failures."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from attune.equity.cli import main
from attune.equity.synthetic import write_episodes_csv

pytestmark = pytest.mark.pure


@pytest.fixture(scope="module")
def episodes_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_episodes_csv(tmp_path_factory.mktemp("equity") / "episodes.csv", 6_000, seed=21)


def test_it_writes_json_with_the_published_keys(
    episodes_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["report", "--input", str(episodes_csv), "--intersect", "gender,language"])
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert document["n_episodes"] == 6_000
    assert {row["attribute"] for row in document["metrics"]} == {
        "gender",
        "language",
        "race",
        "birth_season",
        "gender+language",
    }


def test_it_writes_csv(episodes_csv: Path, tmp_path: Path) -> None:
    output = tmp_path / "report.csv"
    assert (
        main(["report", "--input", str(episodes_csv), "--format", "csv", "--output", str(output)])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(output.read_text())))
    assert rows[0].keys() >= {"metric", "group", "q_value", "suppressed"}
    assert len(rows) > 100


def test_it_writes_accessible_html_with_a_plain_summary(episodes_csv: Path, tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    code = main(
        [
            "report",
            "--input",
            str(episodes_csv),
            "--format",
            "html",
            "--output",
            str(output),
            "--reference",
            "language=English",
        ]
    )
    assert code == 0
    page = output.read_text()
    assert '<html lang="en">' in page and "<h1>" in page and "<caption>" in page
    assert '<th scope="col">' in page and '<th scope="row">' in page
    assert "Findings unlikely to be chance" in page
    assert "whose language includes Spanish left therapy early" in page
    assert "this is unlikely to be chance (q" in page
    assert "<script" not in page and "http" not in page


def test_it_writes_a_pdf(episodes_csv: Path, tmp_path: Path) -> None:
    output = tmp_path / "report.pdf"
    assert (
        main(["report", "--input", str(episodes_csv), "--format", "pdf", "--output", str(output)])
        == 0
    )
    assert output.read_bytes().startswith(b"%PDF")


def test_it_explains_that_pdf_needs_weasyprint(
    episodes_csv: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "weasyprint" else real_find_spec(name, *a),
    )
    assert main(["report", "--input", str(episodes_csv), "--format", "pdf"]) == 2
    assert "PDF output needs WeasyPrint" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (["--intersect", "gender"], "give two different attribute names"),
        (["--reference", "gender"], "give it as attribute=group"),
        (["--min-cell", "3"], "at least 11"),
        (["--reference", "planet=Mars"], "no attribute 'planet'"),
    ],
)
def test_it_rejects_unusable_options(
    episodes_csv: Path, capsys: pytest.CaptureFixture[str], option: list[str], expected: str
) -> None:
    assert main(["report", "--input", str(episodes_csv), *option]) == 2
    assert expected in capsys.readouterr().err


def test_it_runs_as_a_module_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("episode_id,client_id\n1,2\n")
    done = subprocess.run(
        [sys.executable, "-m", "attune.equity.cli", "report", "--input", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "missing required columns" in done.stderr and "Traceback" not in done.stderr


def test_it_imports_without_polars_until_a_file_is_read() -> None:
    probe = "import sys, attune.equity.cli, attune.equity; print('polars' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_it_returns_usage_errors_instead_of_exiting(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--min-cell", "many"]) == 2
    assert "invalid int value" in capsys.readouterr().err
    assert main(["--help"]) == 0


def test_a_file_report_never_imports_django(episodes_csv: Path) -> None:
    script = (
        "import sys\n"
        "from attune.equity.cli import main\n"
        f"code = main(['report', '--input', {str(episodes_csv)!r}, '--output', '/dev/null'])\n"
        "assert code == 0, code\n"
        "assert not any(name.split('.')[0] == 'django' for name in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_without_input_and_without_the_app_settings_it_says_why_in_one_line(
    tmp_path: Path,
) -> None:
    import os

    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ATTUNE_", "DJANGO_", "DATABASE_"))
    }
    result = subprocess.run(
        [sys.executable, "-m", "attune.equity.cli", "report"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "cannot set up the Attune web app" in result.stderr and "--input" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
