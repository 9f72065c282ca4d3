"""Terminal output: one block per finding, in the compiler-style file:line:col form."""

from __future__ import annotations

from collections.abc import Sequence

from attune.language.results import FileReport

_STATUS_MARK = {"present": "ok", "missing": "MISSING", "not_applicable": "n/a"}


def render_text(reports: Sequence[FileReport]) -> str:
    """Render reports as plain text for a terminal (no colour, so it reads anywhere)."""
    out: list[str] = []
    totals = {"error": 0, "warning": 0, "info": 0}
    for report in reports:
        for finding in report.findings:
            totals[finding.severity] += 1
            words = " ".join(finding.text.split())
            out.append(
                f"{report.path}:{finding.line}:{finding.column}: {finding.severity} "
                f'[{finding.rule}] "{words}"'
            )
            out.append(f"    why: {finding.message}")
            if finding.suggestions:
                out.append(f"    try: {'; '.join(finding.suggestions)}")
        applicable = [check for check in report.checks if check.status != "not_applicable"]
        if applicable:
            out.append(f"{report.path}: form checks ({report.profile})")
            for check in applicable:
                out.append(f"    {_STATUS_MARK[check.status]:<7} {check.check}: {check.message}")
        grade = report.readability
        verdict = "at or below" if grade.grade <= grade.target_grade else "above"
        out.append(
            f"{report.path}: reading grade {grade.grade:.1f} ({grade.method}), {verdict} the "
            f"target of {grade.target_grade:g}"
        )
        for sentence in grade.hardest_sentences[:3]:
            out.append(f"    line {sentence.line}, grade {sentence.grade:.1f}: {sentence.text}")
    out.append(
        f"{totals['error']} error(s), {totals['warning']} warning(s), {totals['info']} info "
        f"in {len(reports)} file(s)"
    )
    return "\n".join(out) + "\n"
