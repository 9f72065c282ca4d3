"""``attune lint``: audit forms, client materials and clinical notes from the command line.

Exit status: 0 when nothing reaches --fail-on, 1 when something does, 2 for usage errors or
input that cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from attune.language.config import ConfigError, LintConfig, load_config
from attune.language.engine import audit_bytes, audit_path
from attune.language.formats import FORMATS, renderer
from attune.language.readers import ReaderError
from attune.language.results import PROFILES, SEVERITIES, SEVERITY_RANK, FileReport

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
DEFAULT_FAIL_ON = "warning"


class UsageError(Exception):
    """Raised instead of argparse's own exit so the message stays on one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """Raise instead of printing usage and exiting, so the caller prints one line."""
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for ``attune lint``."""
    parser = _Parser(
        prog="attune lint",
        description="Audit the language of forms, client materials and clinical notes.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files to audit, or - for stdin")
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        help="rule set (default: forms for inputs with form questions, materials otherwise)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        dest="output_format",
        help="output format (default: text)",
    )
    parser.add_argument("--config", metavar="FILE", help="YAML config with an allow-list")
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        default=None,
        help=f"lowest severity that makes the exit status 1 (default: {DEFAULT_FAIL_ON})",
    )
    parser.add_argument(
        "--stdin-name",
        default="-",
        metavar="NAME",
        help="file name to report (and to choose a reader) for stdin input",
    )
    return parser


def _fails(reports: Sequence[FileReport], fail_on: str) -> bool:
    threshold = SEVERITY_RANK[fail_on]
    return any(
        SEVERITY_RANK[finding.severity] >= threshold
        for report in reports
        for finding in report.findings
    )


def _audit_all(
    paths: Sequence[str], *, profile: str | None, config: LintConfig, stdin_name: str
) -> list[FileReport]:
    reports: list[FileReport] = []
    for path in paths:
        if path == "-":
            data = sys.stdin.buffer.read()
            reports.append(audit_bytes(data, stdin_name, profile=profile, config=config))
            continue
        if Path(path).is_dir():
            raise ReaderError(f"{path}: is a directory; pass the files to audit")
        reports.append(audit_path(path, profile=profile, config=config))
    return reports


def main(argv: list[str]) -> int:
    """Run ``attune lint`` with argv (without the word "lint"); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        print(f"attune lint: {error} (see attune lint --help)", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as leaving:  # --help exits through argparse
        return int(leaving.code or 0)
    try:
        config = load_config(args.config) if args.config else LintConfig()
        reports = _audit_all(
            args.paths, profile=args.profile, config=config, stdin_name=args.stdin_name
        )
    except (ConfigError, ReaderError) as error:
        print(f"attune lint: {error}", file=sys.stderr)
        return EXIT_USAGE
    output = renderer(args.output_format)(reports)
    sys.stdout.write(output)
    sys.stdout.flush()
    fail_on = args.fail_on or config.fail_on or DEFAULT_FAIL_ON
    return EXIT_FINDINGS if _fails(reports, fail_on) else EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
