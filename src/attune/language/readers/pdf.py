"""PDF: the text pdfplumber extracts, page after page, a blank line between pages."""

from __future__ import annotations

import io
import logging

from attune.language.document import Document
from attune.language.readers.errors import ReaderError
from attune.language.readers.textform import form_from_lines


def pdf_text(data: bytes, filename: str) -> str:
    """Return the extracted text of a PDF; raise ReaderError for encrypted or broken files."""
    import pdfplumber

    # pdfminer logs every recoverable glitch at WARNING; the CLI's output is the report only.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as error:  # pdfminer raises many unrelated types for bad input
        name = type(error).__name__
        if "Password" in name or "Encrypt" in name or b"/Encrypt" in data[-4096:]:
            raise ReaderError(
                f"{filename}: the PDF is encrypted; export an unlocked copy"
            ) from None
        raise ReaderError(f"{filename}: not a readable PDF ({name})") from None
    return "\n\n".join(pages)


def read_pdf(data: bytes, filename: str) -> Document:
    """Read a PDF's text; line numbers count the extracted lines across pages."""
    text = pdf_text(data, filename)
    if not text.strip() and b"/Encrypt" in data:
        raise ReaderError(f"{filename}: the PDF is encrypted; export an unlocked copy")
    return Document.from_masked(
        path=filename,
        text=text,
        masked=text,
        kind="pdf",
        form_factory=lambda: form_from_lines(text.split("\n")),
    )
