"""Plain text: everything is prose."""

from __future__ import annotations

from attune.language.document import Document
from attune.language.readers.textform import form_from_lines


def read_plain(text: str, filename: str) -> Document:
    """Read plain text; form questions are guessed from its lines."""
    return Document.from_masked(
        path=filename,
        text=text,
        masked=text,
        kind="text",
        form_factory=lambda: form_from_lines(text.split("\n")),
    )
