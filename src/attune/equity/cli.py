"""``attune equity``: the equity report on the command line.

    attune equity report --input FILE [--intersect a,b] [--reference attr=group]
                         [--min-cell 11] [--format json|csv|html|pdf] [--output FILE]

Exit codes: 0 report written; 2 the input or an option cannot be used (one message,
no traceback).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from attune.equity.errors import EquityInputError
from attune.equity.suppression import MINIMUM_CELL

if TYPE_CHECKING:
    from attune.equity.labels import VocabularyWording
    from attune.equity.report import Report

EXIT_OK = 0
EXIT_UNUSABLE = 2


class SourceUnavailableError(Exception):
    """Raise when the chosen data source cannot be read from this process."""


class RenderUnavailableError(Exception):
    """Raise when the chosen output format cannot be produced here."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="attune equity",
        description="Gaps in access, engagement, outcomes and felt humility, by group.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report",
        help="compute the equity report",
        description="Compute every metric for every attribute and group, with 95% intervals, "
        "tests against a reference group, Benjamini-Hochberg q-values and small-cell "
        "suppression.",
    )
    report.add_argument(
        "--input", type=Path, help="episode file (.csv or .parquet); without it, the app's database"
    )
    report.add_argument(
        "--intersect",
        action="append",
        default=[],
        metavar="A,B",
        help="add the intersection of two attributes (repeatable)",
    )
    report.add_argument(
        "--reference",
        action="append",
        default=[],
        metavar="ATTR=GROUP",
        help="reference group of an attribute (default: its largest group; repeatable)",
    )
    report.add_argument(
        "--min-cell",
        type=int,
        default=MINIMUM_CELL,
        help=f"smallest group shown (default and minimum {MINIMUM_CELL})",
    )
    report.add_argument("--format", choices=("json", "csv", "html", "pdf"), default="json")
    report.add_argument("--output", type=Path, help="write here instead of standard output")
    return parser


def _report_from_file(
    path: Path, intersect: list[tuple[str, str]], reference: dict[str, str], min_cell: int
) -> Report:
    from attune.equity.episodes import load_episodes
    from attune.equity.report import build_report

    episodes = load_episodes(path)
    return build_report(episodes, intersect=intersect, reference=reference, min_cell=min_cell)


def _report_from_database(
    intersect: list[tuple[str, str]], reference: dict[str, str], min_cell: int
) -> Report:
    """Return the report of the app's own episodes, aggregated by the app's database.

    Sets up Django with the Attune settings (``DJANGO_SETTINGS_MODULE`` may name others)
    and calls ``attune.equity.database.report_from_database``.
    """
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
    try:
        import django
        from django.core.exceptions import ImproperlyConfigured
        from django.db import DatabaseError
    except ImportError as error:
        raise SourceUnavailableError(
            f"reading the app's database needs the Attune web app ({error}); "
            "pass --input FILE to report on an episode file"
        ) from None
    try:
        django.setup()
        from attune.equity.database import report_from_database
    except (ImportError, ImproperlyConfigured) as error:
        raise SourceUnavailableError(
            f"cannot set up the Attune web app to read its database ({error}); "
            "pass --input FILE to report on an episode file"
        ) from None
    try:
        return report_from_database(intersect=intersect, reference=reference, min_cell=min_cell)
    except (DatabaseError, ImproperlyConfigured) as error:
        raise SourceUnavailableError(f"cannot read the app's database: {error}") from None


def _write(
    report: Report, output_format: str, output: Path | None, source: str, wording=None
) -> None:
    """Write the report; ``wording`` names the groups in HTML and PDF (default: as stored)."""
    from attune import pdf
    from attune.equity import render
    from attune.equity.wording import PLAIN

    wording = wording or PLAIN
    if output_format == "pdf":
        try:
            data = pdf.render_pdf(render.render_html(report, source=source, wording=wording))
        except pdf.RenderUnavailableError as error:
            raise RenderUnavailableError(str(error)) from None
        if output is None:
            sys.stdout.buffer.write(data)
        else:
            output.write_bytes(data)
        return
    if output_format == "json":
        text = render.render_json(report)
    elif output_format == "csv":
        text = render.render_csv(report)
    else:
        text = render.render_html(report, source=source, wording=wording)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    """Run ``attune equity`` with ``argv`` (the words after "equity"); return the exit code."""
    try:
        arguments = _parser().parse_args(argv)
    except SystemExit as stop:
        # argparse has printed usage or help; hand its status back instead of exiting.
        return int(stop.code or 0) if not isinstance(stop.code, str) else EXIT_UNUSABLE
    try:
        from attune.equity.report import parse_intersections, parse_references

        intersect = parse_intersections(arguments.intersect)
        reference = parse_references(arguments.reference)
        if arguments.format == "pdf":
            _require_weasyprint()
        if arguments.input is None:
            report = _report_from_database(intersect, reference, arguments.min_cell)
        else:
            report = _report_from_file(arguments.input, intersect, reference, arguments.min_cell)
        source = arguments.input.name if arguments.input else "the app's database"
        wording: VocabularyWording | None = None
        if arguments.input is None:
            # The app's own groups are codes of its vocabulary: name them with its labels.
            from attune.equity.labels import WORDING

            wording = WORDING
        _write(report, arguments.format, arguments.output, source, wording)
    except (EquityInputError, SourceUnavailableError, RenderUnavailableError, OSError) as error:
        print(f"attune equity report: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    return EXIT_OK


def _require_weasyprint() -> None:
    """Fail before any work when PDF is asked for and cannot be made."""
    import importlib.util

    if importlib.util.find_spec("weasyprint") is None:
        raise RenderUnavailableError(
            "PDF output needs WeasyPrint (pip install weasyprint); use --format html instead"
        )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
