"""DOCX: paragraphs and table rows become lines, in document order."""

from __future__ import annotations

import io
import zipfile

from attune.language.document import Document
from attune.language.readers.errors import ReaderError
from attune.language.readers.textform import form_from_lines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(element) -> str:
    pieces: list[str] = []
    for node in element.iter():
        tag = node.tag
        if tag == f"{_W}t" and node.text:
            pieces.append(node.text)
        elif tag == f"{_W}tab":
            pieces.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            pieces.append("\n")
    return "".join(pieces)


def _row_text(row) -> str:
    cells: list[str] = []
    for cell in row.iter(f"{_W}tc"):
        text = (
            " ".join(_paragraph_text(paragraph) for paragraph in cell.iter(f"{_W}p"))
            .replace("\n", " ")
            .strip()
        )
        if text and (not cells or cells[-1] != text):
            cells.append(text)
    return " | ".join(cells)


def docx_lines(data: bytes) -> list[str]:
    """Return the text lines of a DOCX body: one per paragraph line, one per table row."""
    try:
        from docx import Document as open_docx

        body = open_docx(io.BytesIO(data)).element.body
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ReaderError(f"not a readable DOCX file ({error})") from None
    except Exception as error:  # python-docx raises several unrelated types for broken files
        raise ReaderError(f"not a readable DOCX file ({type(error).__name__})") from None
    lines: list[str] = []
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            lines.extend(_paragraph_text(child).split("\n"))
        elif child.tag == f"{_W}tbl":
            lines.extend(_row_text(row) for row in child.iter(f"{_W}tr"))
    return lines


def read_docx(data: bytes, filename: str) -> Document:
    """Read a Word document; line N is the N-th paragraph line or table row."""
    try:
        lines = docx_lines(data)
    except ReaderError as error:
        raise ReaderError(f"{filename}: {error}") from None
    text = "\n".join(lines)
    return Document.from_masked(
        path=filename,
        text=text,
        masked=text,
        kind="docx",
        form_factory=lambda: form_from_lines(lines),
    )
