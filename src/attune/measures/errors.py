"""Errors raised by the measures library, each carrying a one-line message for people."""

from __future__ import annotations

import re

_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


class MeasuresError(ValueError):
    """Base class: the message is one line, fit to show a clinician or print on a terminal.

    ``link_id`` names the item at fault when the fault belongs to one item.
    """

    def __init__(self, message: str, *, link_id: str | None = None) -> None:
        self.link_id = link_id
        if link_id is not None:
            message = f"item {link_id!r}: {message}"
        # Messages quote file content, which can hold line breaks; a log line must stay one line.
        super().__init__(_LINE_BREAKS.sub(" ", message))


class InstrumentError(MeasuresError):
    """An instrument definition (Attune YAML or FHIR Questionnaire) cannot be used."""


class ResponseError(MeasuresError):
    """A set of answers (or a QuestionnaireResponse) does not fit its instrument."""
