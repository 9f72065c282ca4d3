"""The text of one input as the scanner sees it, with positions kept exact.

Every reader produces the original text plus a *scan* string of exactly the same length in which
everything that is not prose (HTML tags, JSON keys, Markdown link targets, code) is blanked with
spaces and letters are lower-cased. Matching on the scan string therefore yields offsets that are
also offsets into the original text, so line and column numbers never drift.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from attune.language.results import FormModel


def lower_same_length(text: str) -> str:
    """Lower-case text without changing its length (a few characters lower to two)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


def blank(text: str) -> str:
    """Return a same-length string of spaces that keeps the line breaks of text."""
    return (
        "".join("\n" if char == "\n" else " " for char in text)
        if "\n" in text
        else (" " * len(text))
    )


def keep_ranges(text: str, ranges: list[tuple[int, int]]) -> str:
    """Return text with everything outside the given sorted, disjoint ranges blanked."""
    pieces: list[str] = []
    cursor = 0
    for start, end in ranges:
        if start < cursor:
            start = cursor
        if end <= start:
            continue
        pieces.append(blank(text[cursor:start]))
        pieces.append(text[start:end])
        cursor = end
    pieces.append(blank(text[cursor:]))
    return "".join(pieces)


def blank_ranges(text: str, ranges: list[tuple[int, int]]) -> str:
    """Return text with the given sorted, disjoint ranges blanked."""
    pieces: list[str] = []
    cursor = 0
    for start, end in ranges:
        if start < cursor:
            start = cursor
        if end <= start:
            continue
        pieces.append(text[cursor:start])
        pieces.append(blank(text[start:end]))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


@dataclass(slots=True)
class Document:
    """One input: its original text, the masked scan text and what its reader learned."""

    path: str
    text: str
    scan: str
    kind: str
    prose: str = ""
    form_factory: Callable[[], FormModel] | None = None
    _form: FormModel | None = None
    _line_starts: list[int] | None = None

    @classmethod
    def from_masked(
        cls,
        *,
        path: str,
        text: str,
        masked: str,
        kind: str,
        form: FormModel | None = None,
        form_factory: Callable[[], FormModel] | None = None,
        prose: str | None = None,
    ) -> Document:
        """Build a document from original text and its same-length masked copy.

        Pass ``form_factory`` instead of ``form`` when finding the questions is costly and only
        needed for the forms profile.
        """
        if len(masked) != len(text):
            raise ValueError("masked text must keep the length of the original")
        scan = lower_same_length(masked.replace("\r", " "))
        return cls(
            path=path,
            text=text,
            scan=scan,
            kind=kind,
            prose=masked if prose is None else prose,
            form_factory=form_factory,
            _form=form,
        )

    @property
    def form(self) -> FormModel:
        """Return the form structure, working it out on first use."""
        if self._form is None:
            self._form = self.form_factory() if self.form_factory else FormModel()
        return self._form

    @property
    def line_starts(self) -> list[int]:
        """Return the offset at which each line (split at LF) starts."""
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            position = find("\n")
            while position >= 0:
                starts.append(position + 1)
                position = find("\n", position + 1)
            self._line_starts = starts
        return self._line_starts

    def lines(self) -> list[str]:
        """Return the lines of the original text, without their line breaks."""
        return [line.removesuffix("\r") for line in self.text.split("\n")]

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of the character at offset."""
        starts = self.line_starts
        line_index = bisect_right(starts, offset) - 1
        return line_index + 1, offset - starts[line_index] + 1
