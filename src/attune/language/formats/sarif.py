"""SARIF 2.1.0 output for code-scanning tools."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from attune.language.results import FileReport
from attune.language.rulebook import default_rulebook

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _artifact_uri(path: str) -> str:
    if path.startswith("<") or path == "-":
        return "stdin"
    candidate = Path(path)
    return candidate.as_posix() if not candidate.is_absolute() else candidate.as_uri()


def sarif_dict(reports: Sequence[FileReport]) -> dict:
    """Return the SARIF log for the run as a dict."""
    rulebook = default_rulebook()
    used = {finding.rule for report in reports for finding in report.findings}
    rules = [rule for rule in rulebook.rules if rule.id in used]
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    results = []
    for report in reports:
        for finding in report.findings:
            result = {
                "ruleId": finding.rule,
                "ruleIndex": rule_index[finding.rule],
                "level": _LEVEL[finding.severity],
                "message": {
                    "text": f'"{" ".join(finding.text.split())}": {finding.message}'
                    + (f" Try: {'; '.join(finding.suggestions)}." if finding.suggestions else "")
                },
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _artifact_uri(report.path)},
                            "region": {
                                "startLine": finding.line,
                                "startColumn": finding.column,
                                "endLine": finding.end_line,
                                "endColumn": finding.end_column,
                            },
                        }
                    }
                ],
            }
            results.append(result)
    return {
        "version": "2.1.0",
        "$schema": SARIF_SCHEMA,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "attune-lint",
                        "rules": [
                            {
                                "id": rule.id,
                                "name": rule.id.replace("-", " ").title().replace(" ", ""),
                                "shortDescription": {"text": rule.why.split(";")[0][:200]},
                                "fullDescription": {"text": rule.message},
                                "help": {"text": "Try: " + "; ".join(rule.suggestions)},
                                "defaultConfiguration": {"level": _LEVEL[rule.severity]},
                                "properties": {"category": rule.category, "tags": [rule.category]},
                            }
                            for rule in rules
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(reports: Sequence[FileReport]) -> str:
    """Render the run as SARIF 2.1.0 JSON text."""
    return json.dumps(sarif_dict(reports), ensure_ascii=False, indent=2) + "\n"
