"""Errors the equity engine raises for input a person must fix."""

from __future__ import annotations


class EquityInputError(ValueError):
    """Raise when an episode file or a report option cannot be used as given.

    The message is written for the person who supplied the file: it names the first
    offending rows and columns, and the command line prints it as is.
    """
