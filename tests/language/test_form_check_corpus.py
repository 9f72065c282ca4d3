"""The structural checks on hand-written forms in many wordings (tests/language/form-checks.yaml).

The held-out forms (form-checks-holdout.yaml) are scored by bench/language/form_checks.py and
are deliberately not asserted here, so they stay an honest estimate.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from attune.language import audit_bytes

HERE = Path(__file__).resolve().parent
CASES = yaml.safe_load((HERE / "form-checks.yaml").read_text(encoding="utf-8"))["cases"]


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 35
    assert len({case["id"] for case in CASES}) == len(CASES)
    spanish = [case for case in CASES if case["id"].startswith("spanish-")]
    assert len(spanish) >= 5


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_each_form_gets_the_statuses_its_author_expects(case: dict) -> None:
    report = audit_bytes(
        case["form"].encode("utf-8"), case.get("filename", "form.txt"), profile="forms"
    )
    statuses = {check.check: check.status for check in report.checks}
    for check, expected in case["expect"].items():
        assert statuses[check] == expected, f"{check}: {report.checks}"


def test_humble_wording_is_not_reported_missing() -> None:
    form = (
        "Name you want us to use: ______\n"
        "Gender:\n[ ] Woman\n[ ] Man\nI use a different term: ______\n[ ] Prefer not to say\n\n"
        "Race or ethnicity (check all that apply):\n[ ] Black\n[ ] White\n"
        "In your own words: ______\n[ ] Prefer not to say\n"
    )
    statuses = {c.check: c.status for c in audit_bytes(form.encode(), "f.txt").checks}
    assert statuses["chosen_name"] == "present"
    assert statuses["gender_options"] == "present"
    assert statuses["race_ethnicity_multi_select"] == "present"
