"""The ``attune`` command: one entry point for the demo, the server and every tool.

Sub-commands that need no database (``lint``, ``equity report --input``,
``measures score``) are imported lazily so they start fast and never touch Django.
"""

from __future__ import annotations

import importlib
import sys

# sub-command -> module whose ``main(argv) -> int`` handles it
TOOLS = {
    "lint": "attune.language.cli",
    "equity": "attune.equity.cli",
    "measures": "attune.measures.cli",
    "email": "attune.measures.bounces_cli",
    "import": "attune.roster.cli",
}


def main(argv: list[str] | None = None) -> int:
    """Run the sub-command named first in ``argv``; return the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command in TOOLS:
        return int(importlib.import_module(TOOLS[command]).main(rest) or 0)
    from attune import management_cli

    if command in {"-h", "--help", "help"}:
        print(management_cli.USAGE)
        return 0
    return management_cli.run(command, rest)


if __name__ == "__main__":
    sys.exit(main())
