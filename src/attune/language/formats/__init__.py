"""Output formats for lint reports: text, JSON, SARIF 2.1.0 and a self-contained HTML page."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from attune.language.results import FileReport

FORMATS: tuple[str, ...] = ("text", "json", "sarif", "html")


def renderer(name: str) -> Callable[[Sequence[FileReport]], str]:
    """Return the function that renders reports in the named format."""
    if name == "json":
        from attune.language.formats.json_format import render_json

        return render_json
    if name == "sarif":
        from attune.language.formats.sarif import render_sarif

        return render_sarif
    if name == "html":
        from attune.language.formats.html_report import render_html

        return render_html
    if name == "text":
        from attune.language.formats.text import render_text

        return render_text
    raise ValueError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}")
