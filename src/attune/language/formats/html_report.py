"""A self-contained, accessible HTML report: findings marked in place, with why and what to try."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from attune.language.results import FileReport, Finding

FULL_TEXT_LIMIT = 200_000
_STATUS_WORD = {"present": "Present", "missing": "Missing", "not_applicable": "Not applicable"}
_STYLE = """
body{font-family:system-ui,sans-serif;line-height:1.5;margin:0 auto;max-width:60rem;padding:1rem;
color:#1b1b1b;background:#fff}
mark{background:#fff1a8;color:#000;border-bottom:2px solid #1b1b1b;padding:0 .1em}
mark.error{border-bottom-style:double;border-bottom-width:4px}
mark.info{border-bottom-style:dotted}
pre.source{white-space:pre-wrap;word-break:break-word;border:1px solid #767676;padding:.75rem}
table{border-collapse:collapse}th,td{border:1px solid #767676;padding:.3rem .5rem;text-align:left;
vertical-align:top}
.severity{font-weight:700;text-transform:uppercase}
li.finding{margin-bottom:1rem}
"""


def highlight_html(report: FileReport, *, id_prefix: str = "") -> str:
    """Return the report's text as escaped HTML with each finding wrapped in <mark>.

    Overlapping findings are merged into the first mark; each mark carries its rules and
    severity in its title and in visually hidden text, so nothing depends on colour.
    """
    pieces: list[str] = []
    cursor = 0
    text = report.text
    for number, finding in enumerate(sorted(report.findings, key=lambda f: f.start_offset), 1):
        if finding.start_offset < cursor:
            continue
        pieces.append(escape(text[cursor : finding.start_offset]))
        label = f"{finding.severity}: {finding.rule}"
        pieces.append(
            f'<mark class="{finding.severity}" id="{id_prefix}m{number}" title="{escape(label)}">'
            f"{escape(text[finding.start_offset : finding.end_offset])}</mark>"
            f'<sup><a href="#{id_prefix}f{number}" aria-label="finding {number}, {escape(label)}">'
            f"[{number}]</a></sup>"
        )
        cursor = finding.end_offset
    pieces.append(escape(text[cursor:]))
    return "".join(pieces)


def _line_with_mark(report: FileReport, finding: Finding) -> str:
    if not report.lines:
        return escape(finding.text)
    first = report.lines[finding.line - 1] if finding.line <= len(report.lines) else ""
    if finding.end_line != finding.line:
        return (
            escape(first[: finding.column - 1])
            + f'<mark class="{finding.severity}">{escape(finding.text)}</mark>'
        )
    start, end = finding.column - 1, finding.end_column - 1
    return (
        escape(first[:start])
        + f'<mark class="{finding.severity}">{escape(first[start:end])}</mark>'
        + escape(first[end:])
    )


def _file_section(report: FileReport, index: int) -> str:
    out = [
        f'<section aria-labelledby="file{index}"><h2 id="file{index}">{escape(report.path)}</h2>'
    ]
    out.append(
        f"<p>Profile: {escape(report.profile)}. {len(report.findings)} finding(s). "
        f"Reading grade {report.readability.grade:.1f} ({escape(report.readability.method)}); "
        f"target {report.readability.target_grade:g} or lower.</p>"
    )
    if report.findings:
        out.append("<h3>Findings</h3><ol>")
        for number, finding in enumerate(sorted(report.findings, key=lambda f: f.start_offset), 1):
            suggestions = "".join(f"<li>{escape(s)}</li>" for s in finding.suggestions)
            out.append(
                f'<li class="finding" id="file{index}-f{number}"><p><span class="severity">'
                f"{escape(finding.severity)}</span> line {finding.line}, column {finding.column}: "
                f"<code>{escape(finding.rule)}</code> ({escape(finding.category)})</p>"
                f"<p>{_line_with_mark(report, finding)}</p>"
                f"<p><strong>Why:</strong> {escape(finding.message)}</p>"
                + (
                    f"<p><strong>Try instead:</strong></p><ul>{suggestions}</ul>"
                    if suggestions
                    else ""
                )
                + "</li>"
            )
        out.append("</ol>")
    applicable = [check for check in report.checks if check.status != "not_applicable"]
    if applicable:
        out.append(
            '<h3>Form checks</h3><table><thead><tr><th scope="col">Check</th>'
            '<th scope="col">Status</th><th scope="col">Details</th></tr></thead><tbody>'
        )
        for check in report.checks:
            out.append(
                f'<tr><th scope="row">{escape(check.check.replace("_", " "))}</th>'
                f"<td>{_STATUS_WORD[check.status]}</td><td>{escape(check.message)}</td></tr>"
            )
        out.append("</tbody></table>")
    if report.readability.hardest_sentences:
        out.append("<h3>Hardest sentences</h3><ul>")
        for sentence in report.readability.hardest_sentences:
            grade = f"Line {sentence.line}, grade {sentence.grade:.1f}"
            out.append(f"<li>{grade}: {escape(sentence.text)}</li>")
        out.append("</ul>")
    if report.text and len(report.text) <= FULL_TEXT_LIMIT and report.findings:
        out.append(
            f'<h3>Text with findings marked</h3><pre class="source">'
            f"{highlight_html(report, id_prefix=f'file{index}-')}</pre>"
        )
    out.append("</section>")
    return "\n".join(out)


def render_html(reports: Sequence[FileReport]) -> str:
    """Render the run as one standalone HTML page (no external files, scripts or fonts)."""
    total = sum(len(report.findings) for report in reports)
    body = "\n".join(_file_section(report, index) for index, report in enumerate(reports, 1))
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Attune language audit</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<main>\n<h1>Attune language audit</h1>\n<p>{total} finding(s) in {len(reports)} "
        "file(s). Each marked passage has a numbered note with why it matters and what to try "
        "instead.</p>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )
