"""Readers turn the bytes of one input into a Document: text, scan text and form structure."""

from __future__ import annotations

from pathlib import PurePath

from attune.language.document import Document
from attune.language.readers.errors import ReaderError

__all__ = ["KINDS", "ReaderError", "detect_kind", "read_document", "read_text_document"]

KINDS: tuple[str, ...] = ("text", "markdown", "html", "docx", "pdf", "fhir")
_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    ".json": "fhir",
}


def detect_kind(data: bytes, filename: str) -> str:
    """Return the reader kind for an input, from its leading bytes first, then its name."""
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    by_name = _EXTENSIONS.get(PurePath(filename).suffix.lower())
    if by_name:
        return by_name
    lowered = head[:512].lower()
    if lowered.startswith(b"{") and b'"resourcetype"' in head.lower():
        return "fhir"
    if lowered.startswith((b"<!doctype html", b"<html", b"<form", b"<!--", b"<div", b"<p")):
        return "html"
    return "text"


def read_document(data: bytes, filename: str, *, kind: str | None = None) -> Document:
    """Read one input's bytes into a Document; raise ReaderError when it cannot be read."""
    kind = kind or detect_kind(data, filename)
    if kind == "pdf":
        from attune.language.readers.pdf import read_pdf

        return read_pdf(data, filename)
    if kind == "docx":
        from attune.language.readers.docx import read_docx

        return read_docx(data, filename)
    return read_text_document(decode_text(data), filename, kind=kind)


def read_text_document(text: str, filename: str, *, kind: str = "text") -> Document:
    """Read already-decoded text (pasted into a page, say) as the given kind."""
    if kind == "html":
        from attune.language.readers.html import read_html

        return read_html(text, filename)
    if kind == "fhir":
        from attune.language.readers.fhir import read_fhir

        return read_fhir(text, filename)
    if kind == "markdown":
        from attune.language.readers.markdown import read_markdown

        return read_markdown(text, filename)
    from attune.language.readers.plain import read_plain

    return read_plain(text, filename)


def decode_text(data: bytes) -> str:
    """Decode text input as UTF-8 (with or without a BOM), falling back to Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
