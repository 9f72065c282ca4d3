"""Precision and recall of the structural form checks on hand-written forms.

Run from the repository root:

    .venv/bin/python bench/language/form_checks.py

Each case of tests/language/form-checks.yaml (written alongside the rules) and
tests/language/form-checks-holdout.yaml (written after them, never used to tune them) is a
whole form and the statuses some checks should report. "missing" is the positive class: a true
positive is a gap the form really has and the check reports; a false positive is a "missing"
on a form that does what the check asks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from attune.language import audit_bytes  # noqa: E402

CORPORA = ("form-checks.yaml", "form-checks-holdout.yaml")


def load_cases(path: Path) -> list[dict]:
    """Return the cases of one corpus file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


def reported(case: dict) -> dict[str, str]:
    """Return check name -> status for one case's form."""
    filename = case.get("filename", "form.txt")
    report = audit_bytes(case["form"].encode("utf-8"), filename, profile="forms")
    return {check.check: check.status for check in report.checks}


def score(cases: list[dict]) -> dict:
    """Count outcomes over every (case, check) pair a case names."""
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    wrong: list[str] = []
    for case in cases:
        statuses = reported(case)
        for check, expected in case["expect"].items():
            got = statuses[check]
            should_flag, flagged = expected == "missing", got == "missing"
            key = ("t" if should_flag == flagged else "f") + ("p" if flagged else "n")
            counts[key] += 1
            if expected != got and not (expected == "present" and got == "not_applicable"):
                wrong.append(f"{case['id']}: {check} expected {expected}, got {got}")
    flagged = counts["tp"] + counts["fp"]
    actual = counts["tp"] + counts["fn"]
    counts["precision"] = counts["tp"] / flagged if flagged else 1.0
    counts["recall"] = counts["tp"] / actual if actual else 1.0
    counts["cases"] = len(cases)
    counts["wrong"] = wrong
    return counts


def main() -> int:
    print("| corpus | forms | checks judged | precision | recall | TP | FP | FN | TN |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    failures: list[str] = []
    for name in CORPORA:
        path = ROOT / "tests" / "language" / name
        if not path.exists():
            continue
        result = score(load_cases(path))
        judged = result["tp"] + result["fp"] + result["fn"] + result["tn"]
        print(
            f"| `{name}` | {result['cases']} | {judged} | {result['precision']:.3f} | "
            f"{result['recall']:.3f} | {result['tp']} | {result['fp']} | {result['fn']} | "
            f"{result['tn']} |"
        )
        failures.extend(f"{name}: {line}" for line in result["wrong"])
    for line in failures:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
