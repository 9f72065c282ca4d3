"""The JSON report, in exactly the documented shape."""

from __future__ import annotations

import json
from collections.abc import Sequence

from attune.language.results import FileReport, Finding


def finding_to_dict(finding: Finding) -> dict:
    """Return one finding in the JSON contract's shape."""
    return {
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "text": finding.text,
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity,
        "message": finding.message,
        "suggestions": list(finding.suggestions),
    }


def report_to_json_dict(report: FileReport) -> dict:
    """Return one file's report in the JSON contract's shape."""
    readability = report.readability
    return {
        "path": report.path,
        "findings": [finding_to_dict(finding) for finding in report.findings],
        "checks": [
            {"check": check.check, "status": check.status, "message": check.message}
            for check in report.checks
        ],
        "readability": {
            "grade": float(readability.grade),
            "method": readability.method,
            "target_grade": float(readability.target_grade),
            "hardest_sentences": [
                {"line": sentence.line, "grade": float(sentence.grade), "text": sentence.text}
                for sentence in readability.hardest_sentences
            ],
        },
    }


def reports_to_json_dict(reports: Sequence[FileReport]) -> dict:
    """Return the whole run's JSON document as a dict."""
    return {"files": [report_to_json_dict(report) for report in reports]}


def render_json(reports: Sequence[FileReport]) -> str:
    """Render the run as JSON text."""
    # Compact separators keep the C encoder in use; indenting is far slower on big runs.
    return (
        json.dumps(reports_to_json_dict(reports), ensure_ascii=False, separators=(",", ":")) + "\n"
    )
