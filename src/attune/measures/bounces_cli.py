"""``attune email bounces``: record the bounces that came back to the return path.

    attune email bounces --maildir DIR     (a maildir the bounce address delivers to)
    attune email bounces --mbox FILE       (or an mbox file)

Each delivery-status report (RFC 3464) naming a check-in email's signed return path marks that
email "not delivered", with the report's status in words on Today and the client's page.
Reading the same mail again records nothing twice.  Prints one line of counts; exits 2 on a
missing or unreadable mailbox.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="attune email", description="Email bounces.")
    commands = parser.add_subparsers(dest="command", required=True)
    bounces = commands.add_parser("bounces", help="record bounces from a maildir or an mbox")
    source = bounces.add_mutually_exclusive_group(required=True)
    source.add_argument("--maildir", metavar="DIR")
    source.add_argument("--mbox", metavar="FILE")
    arguments = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
    import django

    django.setup()
    from attune.measures.bounces import bounces_read, maildir_messages, mbox_messages

    path = arguments.maildir or arguments.mbox
    if arguments.maildir and not os.path.isdir(os.path.join(path, "cur")):
        print(f"attune email bounces: {path} is not a maildir (no cur/)", file=sys.stderr)
        return EXIT_BAD_INPUT
    if arguments.mbox and not os.path.isfile(path):
        print(f"attune email bounces: {path} is not a file", file=sys.stderr)
        return EXIT_BAD_INPUT
    messages = maildir_messages(path) if arguments.maildir else mbox_messages(path)
    try:
        tally = bounces_read(messages)
    except OSError as exc:
        print(f"attune email bounces: cannot read {path} ({exc.strerror})", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(
        f"{tally.read} messages read: {tally.recorded} bounces recorded, "
        f"{tally.already} already recorded, {tally.unknown} for no known email, "
        f"{tally.not_failed} not a failure report"
    )
    return EXIT_OK
