"""``attune measures``: scoring from the command line, and one-line failures."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from attune.measures.cli import main

from .conftest import (
    GAD7_RESEARCHKIT,
    PHQ9_LHC,
    PHQ9_SDC,
    RESPONSES,
    needs_published,
)

pytestmark = pytest.mark.pure


def run_main(capsys, *argv):
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("questionnaire", "response", "total", "band"),
    [
        pytest.param(
            PHQ9_LHC, "phq9-lhc-all-2.json", 18, "moderately severe", marks=needs_published
        ),
        pytest.param(PHQ9_SDC, "phq9-sdc-all-3.json", 27, "severe", marks=needs_published),
        pytest.param(
            GAD7_RESEARCHKIT, "gad7-researchkit-mild-5.json", 5, "mild", marks=needs_published
        ),
        ("phq9", "phq9-bundled-all-1.json", 9, "mild"),
    ],
)
def test_it_prints_the_score_as_json(capsys, questionnaire, response, total, band):
    code, out, err = run_main(capsys, "score", questionnaire, RESPONSES / response)
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert (result["total"], result["band"]) == (total, band)
    assert result["items_missing"] == 0
    assert result["items_answered"] > 0


def test_it_prints_null_band_for_an_instrument_without_bands(capsys):
    code, out, _ = run_main(capsys, "score", "session-checkin", RESPONSES / "session-checkin.json")
    result = json.loads(out)
    assert code == 0
    assert result["band"] is None
    assert result["total"] == 8.25
    assert result["subscales"] == {"alliance": 8, "humility": 8.5}


def test_it_prints_text_in_the_asked_language(capsys):
    code, out, _ = run_main(
        capsys,
        "score",
        "phq9",
        RESPONSES / "phq9-bundled-all-1.json",
        "--format",
        "text",
        "--language",
        "es",
    )
    assert code == 0
    assert "total: 9 (leve)" in out
    assert "phq9-9" in out


def test_it_scores_an_attune_yaml_file(capsys, tmp_path):
    from .test_yaml_format import worked_example

    path = tmp_path / "sleep.yaml"
    path.write_text(worked_example(), encoding="utf-8")
    response = tmp_path / "response.json"
    response.write_text(
        json.dumps(
            {
                "resourceType": "QuestionnaireResponse",
                "status": "completed",
                "item": [
                    {"linkId": "rested", "answer": [{"valueCoding": {"code": "never"}}]},
                    {"linkId": "worry", "answer": [{"valueCoding": {"code": "rarely"}}]},
                    {"linkId": "nights", "answer": [{"valueInteger": 0}]},
                ],
            }
        ),
        encoding="utf-8",
    )
    code, out, _ = run_main(capsys, "score", path, response)
    assert code == 0
    assert json.loads(out)["total"] == 4


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["score", "phq9", "missing.json"], "cannot read missing.json"),
        (["score", "nothing-like-this", "x.json"], "is neither a file nor a bundled instrument"),
        (["score", "phq9", str(RESPONSES / "session-checkin.json")], "answers questionnaire"),
        (["score", "phq9"], "the following arguments are required: response"),
        (["score", "phq9", "x", "--format", "xml"], "invalid choice: 'xml'"),
        (["frobnicate"], "invalid choice"),
        ([], "the following arguments are required"),
    ],
)
def test_it_exits_2_with_one_line_on_bad_input(capsys, argv, message):
    code, out, err = run_main(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1


def test_it_exits_2_on_a_response_that_is_not_json(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    code, _, err = run_main(capsys, "score", "gad7", bad)
    assert code == 2
    assert err.startswith("attune measures: not JSON")


def test_it_refuses_to_import_a_file_it_cannot_read_before_touching_the_database(capsys):
    code, _, err = run_main(capsys, "import", "no-such-file.json")
    assert code == 2
    assert err.startswith("attune measures import: cannot read no-such-file.json")
    assert len(err.strip().splitlines()) == 1


def test_it_lists_bundled_instruments(capsys):
    code, out, _ = run_main(capsys, "list")
    assert code == 0
    assert out.split() == ["gad7", "goals-checkin", "phq9", "session-checkin"]


def test_it_runs_as_a_module_without_a_traceback(tmp_path):
    bad = tmp_path / "q.json"
    bad.write_text(
        '{"resourceType": "Questionnaire", "id": "q", "status": "draft", "item": [{"linkId": "a", '
        '"type": "decimal", "extension": [{"url": "http://hl7.org/fhir/uv/sdc/'
        'StructureDefinition/sdc-questionnaire-calculatedExpression", "valueExpression":'
        ' {"language": "text/fhirpath", "expression": "(("}}]}]}',
        encoding="utf-8",
    )
    finished = subprocess.run(
        [sys.executable, "-m", "attune.measures.cli", "score", str(bad), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 2
    assert "Traceback" not in finished.stderr
    assert "item 'a': cannot parse FHIRPath" in finished.stderr
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "attune.measures.cli",
            "score",
            "phq9",
            str(RESPONSES / "phq9-bundled-all-1.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["total"] == 9
