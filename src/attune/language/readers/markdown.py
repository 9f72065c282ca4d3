"""Markdown: prose with code, link targets and inline HTML tags blanked."""

from __future__ import annotations

import re

from attune.language.document import Document, blank_ranges
from attune.language.readers.textform import form_from_lines

_NOT_PROSE = re.compile(
    r"(?ms)^[ \t]*(?:```|~~~).*?(?:^[ \t]*(?:```|~~~)[^\n]*$|\Z)"  # fenced code
    r"|`[^`\n]+`"  # inline code
    r"|(?<=\])\([^)\n]*\)"  # link and image targets
    r"|<https?://[^>\s]+>"  # autolinks
    r"|<!--.*?-->"  # comments (inline markers are read from the original text)
    r"|</?[A-Za-z][^>\n]*>"  # inline HTML tags
    r"|https?://\S+"  # bare URLs
)


def read_markdown(text: str, filename: str) -> Document:
    """Read Markdown; form questions are guessed from its lines (task lists count as options)."""
    ranges = [match.span() for match in _NOT_PROSE.finditer(text)]
    masked = blank_ranges(text, ranges)
    return Document.from_masked(
        path=filename,
        text=text,
        masked=masked,
        kind="markdown",
        form_factory=lambda: form_from_lines(masked.split("\n")),
    )
