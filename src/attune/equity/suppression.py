"""Small-cell suppression: primary, complementary and across linked figures.

A cell is one metric for one group of one attribute; its count is the metric's
denominator ``n``. The rules, applied until nothing changes:

1. Primary: a cell whose count is below ``min_cell`` is suppressed.
2. Complementary, per line: a line is a set of cells whose counts add up to a figure
   a reader may know. Every attribute is a line for each metric (its total is the
   metric's total over all episodes, which other attributes reveal). For an
   intersection ``a+b`` each row (``Woman+*``) and each column (``*+Spanish``) is a
   line too, whose total is the published cell of ``a`` or ``b``. A line holding any
   suppressed cell must hold at least two, together counting at least ``min_cell``;
   otherwise its smallest published cell is suppressed as well, or, when none is left,
   the cell holding the line's total.
3. Same group, other metrics: a suppressed count must not reappear as the count of
   another metric for the same group, nor as the episodes seen that a published
   ``never_seen_rate`` implies (``n`` minus never seen equals the count of
   ``days_to_first_session``).

For multi-valued attributes the counts of a line add up to more than the total,
because a person counts in every group they selected; a reader cannot know by how
much, but the rules treat the line as if it added up exactly, which is the safe side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CellKey = tuple[str, str, str]  # (metric, attribute, group)

MINIMUM_CELL = 11


@dataclass(frozen=True)
class Line:
    """Cells whose counts add up to a known figure, and the cell holding that figure if any."""

    cells: tuple[CellKey, ...]
    total: CellKey | None = None


@dataclass(frozen=True)
class SuppressionInput:
    """The counts to protect and how they relate.

    ``implied_counts`` maps a cell to further counts it reveals when published, with
    the cell whose count each one equals (a published never-seen rate reveals the
    number of episodes seen).
    """

    counts: dict[CellKey, int]
    lines: tuple[Line, ...]
    implied_counts: dict[CellKey, tuple[CellKey, ...]]


def check_min_cell(min_cell: int) -> int:
    """Return ``min_cell`` if allowed; raise ValueError below the floor of 11."""
    if isinstance(min_cell, bool) or not isinstance(min_cell, int):
        raise ValueError("min_cell must be a whole number")
    if min_cell < MINIMUM_CELL:
        raise ValueError(
            f"min_cell must be at least {MINIMUM_CELL}: smaller groups could identify people"
        )
    return min_cell


def suppress(cells: SuppressionInput, *, min_cell: int = MINIMUM_CELL) -> set[CellKey]:
    """Return the set of cells to suppress under the module's rules."""
    check_min_cell(min_cell)
    counts = cells.counts
    hidden: set[CellKey] = {key for key, count in counts.items() if count < min_cell}
    by_group: dict[tuple[str, str], list[CellKey]] = {}
    for key in counts:
        by_group.setdefault((key[1], key[2]), []).append(key)
    changed = True
    while changed:
        changed = False
        for line in cells.lines:
            changed |= _protect_line(line, counts, hidden, min_cell)
        changed |= _protect_groups(by_group.values(), cells.implied_counts, counts, hidden)
    return hidden


def _protect_line(
    line: Line, counts: dict[CellKey, int], hidden: set[CellKey], min_cell: int
) -> bool:
    changed = False
    while True:
        suppressed = [key for key in line.cells if key in hidden]
        if not suppressed:
            return changed
        if len(suppressed) >= 2 and sum(counts[key] for key in suppressed) >= min_cell:
            return changed
        published = [key for key in line.cells if key not in hidden]
        if published:
            # Prefer a non-empty cell: hiding a zero alongside adds no uncertainty.
            smallest = min(published, key=lambda key: (counts[key] == 0, counts[key], key[2]))
            hidden.add(smallest)
            changed = True
            continue
        if line.total is not None and line.total not in hidden:
            hidden.add(line.total)
            changed = True
        return changed


def _protect_groups(
    groups: Iterable[list[CellKey]],
    implied_counts: dict[CellKey, tuple[CellKey, ...]],
    counts: dict[CellKey, int],
    hidden: set[CellKey],
) -> bool:
    changed = False
    for keys in groups:
        hidden_counts = {counts[key] for key in keys if key in hidden}
        if not hidden_counts:
            continue
        for key in keys:
            if key in hidden:
                continue
            reveals_hidden = counts[key] in hidden_counts or any(
                other in hidden for other in implied_counts.get(key, ())
            )
            if reveals_hidden:
                hidden.add(key)
                changed = True
                hidden_counts.add(counts[key])
    return changed
