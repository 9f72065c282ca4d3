"""HTML printed to PDF with WeasyPrint, for any page that offers a PDF (equity report, agendas).

WeasyPrint is optional: without it ``render_pdf`` raises ``RenderUnavailableError`` and the
caller offers HTML instead.  No Django here, so the equity command line can use it too.
"""

from __future__ import annotations


class RenderUnavailableError(RuntimeError):
    """Raise when an output format needs a package that is not installed."""


def render_pdf(html: str) -> bytes:
    """Return the HTML page printed to PDF; raise RenderUnavailableError without WeasyPrint."""
    try:
        import weasyprint
    except ImportError as error:
        raise RenderUnavailableError(
            "PDF output needs WeasyPrint (pip install weasyprint); use --format html instead"
        ) from error
    return weasyprint.HTML(string=html).write_pdf()
