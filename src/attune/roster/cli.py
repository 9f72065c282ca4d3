"""``attune import``: bring a clinic's roster or schedule in from a CSV file.

    attune import roster FILE.csv --as LEADER [--apply] [--skip-rejected]
    attune import schedule FILE.csv --as LEADER [--apply] [--skip-rejected]

Without ``--apply`` nothing changes: the command prints what the file would create, update or
leave unchanged, and one line per rejected row.  With ``--apply`` the whole file is stored in
one transaction, or nothing is.  Exit status: 0 done, 1 rows rejected (nothing applied
unless ``--skip-rejected``), 2 the file or the command cannot be used.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

EXIT_OK, EXIT_REJECTED, EXIT_BAD_INPUT = 0, 1, 2
MAX_FILE_BYTES = 50 * 1024 * 1024


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="attune import", description="Import a roster or schedule CSV file.")
    parser.add_argument("kind", choices=("roster", "schedule"))
    parser.add_argument("file", help="the CSV file (docs/integration.md, 'Flat files')")
    parser.add_argument(
        "--as", dest="leader", required=True, metavar="USERNAME", help="the leader importing"
    )
    parser.add_argument("--apply", action="store_true", help="store the changes (else a dry run)")
    parser.add_argument(
        "--skip-rejected",
        action="store_true",
        help="with --apply: store the other rows and leave the rejected ones out",
    )
    parser.add_argument(
        "--system",
        default=None,
        metavar="URI",
        help="whose ids the file holds (default: the agency's own file)",
    )
    return parser


def _print_plan(plan, *, applied: bool, out) -> None:
    print(
        ("Applied: " if applied else "Dry run (nothing changed): ") + plan.summary() + ".", file=out
    )
    for note in plan.table.notes:
        print(f"note: {note}", file=out)
    for outcome in plan.outcomes:
        print(outcome.line(), file=out)


def main(argv: list[str]) -> int:
    """Run ``attune import`` with ``argv`` (the words after "import"); return the exit code."""
    try:
        args = _parser().parse_args(argv)
    except _UsageError as error:
        print(f"attune import: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        size = os.path.getsize(args.file)
        if size > MAX_FILE_BYTES:
            print(
                f"attune import: {args.file} is {size // (1024 * 1024)} MB; files up to "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB are read (split it)",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        with open(args.file, "rb") as handle:
            data = handle.read()
    except OSError as error:
        print(f"attune import: cannot read {args.file} ({error.strerror})", file=sys.stderr)
        return EXIT_BAD_INPUT
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
    import django

    django.setup()
    from attune.roster import services
    from attune.roster.reading import FileProblem

    try:
        leader = services.leader_named(args.leader)
    except services.ImportRefused as error:
        print(f"attune import: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        name = os.path.basename(args.file)
        if args.apply:
            result = services.apply(
                leader=leader,
                kind=args.kind,
                data=data,
                filename=name,
                skip_rejected=args.skip_rejected,
                system=args.system,
            )
        else:
            result = services.preview(
                leader=leader, kind=args.kind, data=data, filename=name, system=args.system
            )
    except FileProblem as error:
        print(f"attune import: {args.file}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except services.ImportRefused as error:
        if args.apply:
            # Show the rows that stopped it, from a plan that changes nothing.
            try:
                plan = services.plan_file(
                    args.kind, services.read_file(args.kind, data), args.system
                )
                for outcome in plan.rejected:
                    print(outcome.line(), file=sys.stderr)
            except FileProblem:
                pass
        print(f"attune import: {error}", file=sys.stderr)
        return EXIT_REJECTED if "rejected" in str(error) else EXIT_BAD_INPUT
    try:
        _print_plan(result.plan, applied=result.applied, out=sys.stdout)
        print(f"batch {result.batch.pk} recorded", file=sys.stdout)
    except BrokenPipeError:  # the output was piped to `head`; what was done is done
        # As Python's documentation advises: the rest goes nowhere, with no error at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    if result.plan.rejected and not result.applied:
        return EXIT_REJECTED
    return EXIT_OK
