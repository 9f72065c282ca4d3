"""Alert equity statistics: does a signal fire, and catch what follows, equally for every group?

Pure (no Django), from per-check-in facts: which group(s) the client self-identified with, whether
a signal of one kind fired on the check-in, and whether the outcome it is meant to foresee
followed (dropout within N sessions, reliable deterioration, a repair logged).  Per group:

* **rate**: signals per 100 check-ins (fired / check-ins);
* **sensitivity**: of the check-ins the outcome followed, the share a signal fired on
  (caught / outcomes): "rupture signals caught 41 % of later dropouts";
* **positive predictive value**: of the check-ins a signal fired on, the share the outcome
  followed (caught / fired).

Each with a 95 % Wilson interval, the difference from the reference group with the same two-group
test as the other equity measures (``stats.compare_proportions``: a two-proportion z-test, or
Fisher's exact test for small expected counts), Benjamini-Hochberg q-values over every comparison
made in one call, and primary small-cell suppression: a measure whose denominator is below
``min_cell`` (11, as elsewhere) shows nothing and is never compared.  These are associations
between a signal and what followed it, not its effect.

Not done here yet: complementary suppression across a line of groups (the equity report's
``suppression.suppress`` does it for its own cells) and the wiring to stored signals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from attune.equity import stats
from attune.equity.summaries import Proportion
from attune.equity.suppression import MINIMUM_CELL

SIGNIFICANCE_LEVEL = 0.05

RATE = "rate"
SENSITIVITY = "sensitivity"
PPV = "ppv"
MEASURES = (RATE, SENSITIVITY, PPV)
# Rates are shown per 100 check-ins; the two shares as percentages.
SCALE = {RATE: 100.0, SENSITIVITY: 100.0, PPV: 100.0}


@dataclass(frozen=True)
class AlertTally:
    """One group's counts: check-ins, signals fired, outcomes that followed, and both at once."""

    checkins: int = 0
    fired: int = 0
    outcomes: int = 0
    caught: int = 0

    def __post_init__(self) -> None:
        counts = (self.checkins, self.fired, self.outcomes, self.caught)
        if any(isinstance(c, bool) or not isinstance(c, int) or c < 0 for c in counts):
            raise ValueError("counts must be whole numbers of at least 0")
        if not (
            self.caught <= min(self.fired, self.outcomes)
            and max(self.fired, self.outcomes) <= self.checkins
        ):
            raise ValueError("caught <= fired, outcomes <= check-ins")

    def __add__(self, other: AlertTally) -> AlertTally:
        return AlertTally(
            self.checkins + other.checkins,
            self.fired + other.fired,
            self.outcomes + other.outcomes,
            self.caught + other.caught,
        )

    def proportion(self, measure: str) -> Proportion:
        """The measure as events out of n."""
        if measure == RATE:
            return Proportion(n=self.checkins, events=self.fired)
        if measure == SENSITIVITY:
            return Proportion(n=self.outcomes, events=self.caught)
        if measure == PPV:
            return Proportion(n=self.fired, events=self.caught)
        raise ValueError(f"unknown measure {measure!r}")


def tally_by_group(
    groups: Iterable[str | Sequence[str]], fired: Iterable[bool], outcome: Iterable[bool]
) -> dict[str, AlertTally]:
    """Count check-ins by group.  A check-in whose client chose several groups counts in each
    (as in the other equity measures); one with no group counts in none."""
    counts: dict[str, list[int]] = {}
    for chosen, did_fire, followed in zip(groups, fired, outcome, strict=True):
        names = (chosen,) if isinstance(chosen, str) else tuple(dict.fromkeys(chosen))
        for name in names:
            row = counts.setdefault(name, [0, 0, 0, 0])
            row[0] += 1
            row[1] += bool(did_fire)
            row[2] += bool(followed)
            row[3] += bool(did_fire) and bool(followed)
    return {name: AlertTally(*row) for name, row in counts.items()}


def tally_arrays(
    group_codes: Sequence[int], fired: Sequence[bool], outcome: Sequence[bool], names: Sequence[str]
) -> dict[str, AlertTally]:
    """Count check-ins by group from arrays (NumPy), for agency-scale histories.

    ``group_codes[i]`` indexes ``names``; a client in several groups has one row per group
    (a code below 0: in no group).  Gives the same tallies as ``tally_by_group``.
    """
    import numpy as np

    codes = np.asarray(group_codes, dtype=np.int64)
    did_fire = np.asarray(fired, dtype=bool)
    followed = np.asarray(outcome, dtype=bool)
    if not codes.shape == did_fire.shape == followed.shape:
        raise ValueError("group_codes, fired and outcome must have the same length")
    keep = codes >= 0
    codes, did_fire, followed = codes[keep], did_fire[keep], followed[keep]
    if codes.size and codes.max() >= len(names):
        raise ValueError("a group code has no name")
    size = len(names)
    columns = (
        np.bincount(codes, minlength=size),
        np.bincount(codes, weights=did_fire, minlength=size),
        np.bincount(codes, weights=followed, minlength=size),
        np.bincount(codes, weights=did_fire & followed, minlength=size),
    )
    return {
        name: AlertTally(*(int(column[index]) for column in columns))
        for index, name in enumerate(names)
        if columns[0][index]
    }


@dataclass(frozen=True)
class MeasureCell:
    """One measure for one group: its estimate and interval, or suppressed."""

    measure: str
    n: int
    value: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    difference: float | None = None  # value minus the reference group's value
    p_value: float | None = None
    q_value: float | None = None

    @property
    def significant(self) -> bool:
        return self.q_value is not None and self.q_value < SIGNIFICANCE_LEVEL


@dataclass(frozen=True)
class GroupRow:
    group: str
    is_reference: bool
    tally: AlertTally
    cells: Mapping[str, MeasureCell]


def reference_group(tallies: Mapping[str, AlertTally]) -> str:
    """The default reference: the group with the most check-ins (ties by name)."""
    if not tallies:
        raise ValueError("no groups")
    return min(tallies, key=lambda name: (-tallies[name].checkins, name))


def alert_equity(
    tallies: Mapping[str, AlertTally],
    *,
    reference: str | None = None,
    min_cell: int = MINIMUM_CELL,
    measures: Sequence[str] = MEASURES,
) -> list[GroupRow]:
    """Return every group's measures, the reference first, with the comparisons' q-values."""
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    reference = reference if reference is not None else reference_group(tallies)
    if reference not in tallies:
        raise ValueError(f"reference group {reference!r} has no check-ins")
    base = {measure: tallies[reference].proportion(measure) for measure in measures}
    draft: dict[tuple[str, str], dict] = {}
    for group in [reference, *sorted(name for name in tallies if name != reference)]:
        for measure in measures:
            share = tallies[group].proportion(measure)
            draft[(group, measure)] = _cell(measure, share, min_cell)
    for (group, measure), cell in draft.items():
        reference_cell = draft[(reference, measure)]
        if group == reference or cell["suppressed"] or reference_cell["suppressed"]:
            continue
        cell["difference"] = cell["value"] - reference_cell["value"]
        cell["p_value"] = stats.compare_proportions(
            tallies[group].proportion(measure), base[measure]
        )
    tested = [key for key, cell in draft.items() if cell.get("p_value") is not None]
    for key, q_value in zip(
        tested, stats.benjamini_hochberg([draft[key]["p_value"] for key in tested]), strict=True
    ):
        # Never below its own p-value (p × m / rank can round below p when m equals the rank).
        draft[key]["q_value"] = max(q_value, draft[key]["p_value"])
    rows = []
    for group in dict.fromkeys(group for group, _ in draft):
        rows.append(
            GroupRow(
                group,
                group == reference,
                tallies[group],
                {measure: MeasureCell(**draft[(group, measure)]) for measure in measures},
            )
        )
    return rows


def _cell(measure: str, share: Proportion, min_cell: int) -> dict:
    if share.n < min_cell:
        return {
            "measure": measure,
            "n": share.n,
            "value": None,
            "ci_low": None,
            "ci_high": None,
            "suppressed": True,
        }
    interval = stats.wilson_interval(share.events, share.n)
    assert interval is not None
    scale = SCALE[measure]
    value = scale * share.events / share.n
    # The Wilson bounds can miss 0 or 1 by a rounding error at 0 or n events: keep the estimate
    # inside its interval.
    return {
        "measure": measure,
        "n": share.n,
        "value": value,
        "ci_low": min(scale * interval[0], value),
        "ci_high": max(scale * interval[1], value),
        "suppressed": False,
    }


CAVEAT = (
    "These are associations in the agency's own records: they say how often a signal came "
    "before what followed, not that the signal or its absence caused it."
)


def plain_finding(
    rows: Sequence[GroupRow],
    group: str,
    *,
    measure: str = SENSITIVITY,
    signal_words: str = "rupture signals",
    outcome_words: str = "later dropouts",
    group_words: Callable[[str], str] = lambda name: f"{name} clients",
) -> str:
    """One sentence comparing ``group`` with the reference on ``measure``, and the caveat.

    "Rupture signals caught 41% of later dropouts among Spanish-speaking clients and 68% among
    English-speaking clients." A suppressed figure is said to be too few to show.
    """
    by_group = {row.group: row for row in rows}
    reference = next(row for row in rows if row.is_reference)
    ours, theirs = by_group[group].cells[measure], reference.cells[measure]
    if ours.suppressed or theirs.suppressed:
        return (
            f"Too few check-ins to compare {signal_words} among {group_words(group)} with "
            f"{group_words(reference.group)} (fewer than the smallest number shown)."
        )
    among, against = group_words(group), group_words(reference.group)
    if measure == SENSITIVITY:
        sentence = (
            f"{signal_words.capitalize()} caught {ours.value:.0f}% of {outcome_words} among "
            f"{among} and {theirs.value:.0f}% among {against}."
        )
    elif measure == PPV:
        sentence = (
            f"Of {signal_words} among {among}, {ours.value:.0f}% were followed by "
            f"{outcome_words}; among {against}, {theirs.value:.0f}%."
        )
    else:
        sentence = (
            f"{signal_words.capitalize()} fired {ours.value:.1f} times per 100 check-ins among "
            f"{among} and {theirs.value:.1f} among {against}."
        )
    if ours.q_value is not None:
        sentence += (
            " The difference is unlikely to be chance alone."
            if ours.significant
            else " The difference could be chance."
        )
    return f"{sentence} {CAVEAT}"
