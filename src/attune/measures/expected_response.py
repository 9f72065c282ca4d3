"""Expected treatment response: where a client's score is expected to be by their n-th score.

Pure (numpy, no Django), so the model can be read, tested and benchmarked on its own arrays.
docs/expected-response.md explains the model, its minimum sample, its fallback and its limits.

The model, per instrument (PHQ-9, GAD-7, the session check-in):

* A client's **intake** is their first scored total on the instrument; their **score number**
  is 1 for the intake, 2 for the next scored total, and so on.  Score numbers above
  ``max_score_number`` are pooled with it.
* Intakes are grouped into **intake bands** (the instrument's severity bands for PHQ-9 and
  GAD-7; three bands for the check-in).
* For each band and score number, the model keeps three empirical quantiles of the change
  from intake: ``lower_quantile`` (0.10), the median and ``upper_quantile`` (0.90).  The
  expected score is intake + median change; the tolerance band is intake + the two outer
  quantiles.  A score beyond the edge on the worse side (above it when lower is better) is
  **not on track**.
* A band needs ``min_clients`` clients with a follow-up score to be fitted; a cell (band and
  score number) with fewer than ``min_cell`` scores borrows the nearest earlier fitted cell of
  its band.  The medians and edges are smoothed with a running median of three along score
  numbers.
* An unfitted band uses the **published rule**: no change expected, and a band of one reliable
  change either side of intake (PHQ-9 6 points, GAD-7 4, as the bundled instruments define;
  the check-in uses the agency's ``drop_from_baseline``).  The signal rules already raise
  reliable deterioration and drops from the client's usual, so a fallback band raises no
  not-on-track finding of its own (``Expectation.raises``).

Nothing here compares therapists: the history is pooled over the whole agency and the fit keeps
only counts and quantiles, never a client or a therapist.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MODEL = "quantiles-of-change-by-intake-band"
MODEL_VERSION = 1

AGENCY = "agency"
PUBLISHED = "published"


@dataclass(frozen=True)
class InstrumentSpec:
    """What the model needs to know about one instrument."""

    name: str
    title: str
    low: float
    high: float
    lower_is_better: bool
    # The reliable change used when a band is not fitted.
    reliable_change: float
    # Upper bounds (exclusive) of every intake band but the last, ascending.
    band_edges: tuple[float, ...]
    band_labels: tuple[str, ...]

    def band_of(self, intake: float) -> int:
        return int(np.searchsorted(np.asarray(self.band_edges, dtype=float), intake, "right"))

    def clip(self, value: float) -> float:
        return float(min(max(value, self.low), self.high))


SPECS: dict[str, InstrumentSpec] = {
    "phq9": InstrumentSpec(
        "phq9",
        "PHQ-9",
        0.0,
        27.0,
        True,
        6.0,
        (5.0, 10.0, 15.0, 20.0),
        (
            "minimal (0–4)",
            "mild (5–9)",
            "moderate (10–14)",
            "moderately severe (15–19)",
            "severe (20–27)",
        ),
    ),
    "gad7": InstrumentSpec(
        "gad7",
        "GAD-7",
        0.0,
        21.0,
        True,
        4.0,
        (5.0, 10.0, 15.0),
        ("minimal (0–4)", "mild (5–9)", "moderate (10–14)", "severe (15–21)"),
    ),
    "session-checkin": InstrumentSpec(
        "session-checkin",
        "Session check-in",
        0.0,
        10.0,
        False,
        2.0,
        (6.0, 8.0),
        ("low (below 6)", "middle (6 to 8)", "high (8 and above)"),
    ),
}


@dataclass(frozen=True)
class FitSettings:
    """The model's documented choices (docs/expected-response.md)."""

    min_clients: int = 100
    min_cell: int = 20
    max_score_number: int = 20
    lower_quantile: float = 0.10
    upper_quantile: float = 0.90

    def __post_init__(self) -> None:
        if not 0.0 < self.lower_quantile < 0.5 < self.upper_quantile < 1.0:
            raise ValueError("quantiles must satisfy 0 < lower < 0.5 < upper < 1")
        if self.min_clients < 1 or self.min_cell < 3 or self.max_score_number < 2:
            raise ValueError("minimum sample sizes must be positive and max_score_number >= 2")


DEFAULT_SETTINGS = FitSettings()


@dataclass(frozen=True)
class BandFit:
    """One intake band: its sample, and per score number 2..max the change quantiles."""

    label: str
    clients: int
    scores: int
    fitted: bool
    # Index 0 is score number 2.
    lower: tuple[float, ...] = ()
    median: tuple[float, ...] = ()
    upper: tuple[float, ...] = ()


@dataclass(frozen=True)
class InstrumentFit:
    instrument: str
    clients: int
    scores: int
    bands: tuple[BandFit, ...]
    settings: FitSettings = field(default_factory=FitSettings)

    def as_json(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "clients": self.clients,
            "scores": self.scores,
            "settings": {
                "min_clients": self.settings.min_clients,
                "min_cell": self.settings.min_cell,
                "max_score_number": self.settings.max_score_number,
                "lower_quantile": self.settings.lower_quantile,
                "upper_quantile": self.settings.upper_quantile,
            },
            "bands": [
                {
                    "label": band.label,
                    "clients": band.clients,
                    "scores": band.scores,
                    "fitted": band.fitted,
                    "lower": list(band.lower),
                    "median": list(band.median),
                    "upper": list(band.upper),
                }
                for band in self.bands
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InstrumentFit:
        return cls(
            instrument=str(data["instrument"]),
            clients=int(data["clients"]),
            scores=int(data["scores"]),
            settings=FitSettings(**data.get("settings", {})),
            bands=tuple(
                BandFit(
                    label=str(band["label"]),
                    clients=int(band["clients"]),
                    scores=int(band["scores"]),
                    fitted=bool(band["fitted"]),
                    lower=tuple(float(v) for v in band.get("lower", ())),
                    median=tuple(float(v) for v in band.get("median", ())),
                    upper=tuple(float(v) for v in band.get("upper", ())),
                )
                for band in data["bands"]
            ),
        )


def fit(
    spec: InstrumentSpec,
    clients: np.ndarray,
    order: np.ndarray,
    totals: np.ndarray,
    settings: FitSettings = DEFAULT_SETTINGS,
) -> InstrumentFit:
    """Fit the model on one instrument's history: one row per score.

    ``clients`` identifies whose score a row is (any integers; never stored), ``order`` puts a
    client's scores in time (submission time as a number, or a sequence), ``totals`` are the
    scores (NaN for a response that could not be scored: skipped).
    """
    clients = np.asarray(clients)
    order = np.asarray(order)
    totals = np.asarray(totals, dtype=float)
    if not clients.shape == order.shape == totals.shape:
        raise ValueError("clients, order and totals must have the same length")
    known = np.isfinite(totals)
    clients, order, totals = clients[known], order[known], totals[known]
    sequence = np.lexsort((order, clients))
    clients, totals = clients[sequence], totals[sequence]
    count = totals.size
    position = np.arange(count)
    starts = np.ones(count, dtype=bool)
    if count:
        starts[1:] = clients[1:] != clients[:-1]
    start_of = np.maximum.accumulate(np.where(starts, position, 0)) if count else position
    intake = totals[start_of]
    number = np.minimum(position - start_of + 1, settings.max_score_number)
    band = np.searchsorted(np.asarray(spec.band_edges, dtype=float), intake, "right")
    follow = number >= 2
    band_count = len(spec.band_labels)
    # Clients with a follow-up score, by band: the rows at score number 2.
    clients_by_band = np.bincount(band[number == 2], minlength=band_count)
    scores_by_band = np.bincount(band[follow], minlength=band_count)

    cells = settings.max_score_number + 1
    key = band[follow] * cells + number[follow]
    change = (totals - intake)[follow]
    lower, median, upper, sizes = _cell_quantiles(
        key, change, band_count * cells, settings.lower_quantile, settings.upper_quantile
    )
    bands = []
    for index in range(band_count):
        span = slice(index * cells + 2, (index + 1) * cells)
        fitted = bool(clients_by_band[index] >= settings.min_clients)
        values: tuple[tuple[float, ...], ...] = ((), (), ())
        if fitted:
            values = _band_curves(
                sizes[span], (lower[span], median[span], upper[span]), settings.min_cell
            )
            fitted = bool(values[0])
        bands.append(
            BandFit(
                label=spec.band_labels[index],
                clients=int(clients_by_band[index]),
                scores=int(scores_by_band[index]),
                fitted=fitted,
                lower=values[0],
                median=values[1],
                upper=values[2],
            )
        )
    return InstrumentFit(
        instrument=spec.name,
        clients=int(starts.sum()),
        scores=int(count),
        bands=tuple(bands),
        settings=settings,
    )


def _cell_quantiles(
    key: np.ndarray, change: np.ndarray, cell_count: int, low_q: float, high_q: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return per cell the low, median and high quantiles of ``change`` and the cell sizes.

    One sort for every cell at once; quantiles interpolate linearly between order statistics
    (numpy's default method).  Empty cells are NaN.
    """
    sizes = np.bincount(key, minlength=cell_count)
    result = []
    if key.size == 0:
        empty = np.full(cell_count, np.nan)
        return empty, empty.copy(), empty.copy(), sizes
    sorted_change = change[np.lexsort((change, key))]
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    present = sizes > 0
    for q in (low_q, 0.5, high_q):
        values = np.full(cell_count, np.nan)
        at = offsets[present] + q * (sizes[present] - 1)
        below = np.floor(at).astype(np.int64)
        above = np.minimum(below + 1, offsets[present] + sizes[present] - 1)
        weight = at - below
        values[present] = sorted_change[below] * (1 - weight) + sorted_change[above] * weight
        result.append(values)
    return result[0], result[1], result[2], sizes


def _band_curves(
    sizes: np.ndarray, curves: tuple[np.ndarray, np.ndarray, np.ndarray], min_cell: int
) -> tuple[tuple[float, ...], ...]:
    """Fill thin cells from the nearest earlier fitted one (or the first), then smooth."""
    usable = np.flatnonzero(sizes >= min_cell)
    if usable.size == 0:
        return ((), (), ())
    positions = np.arange(sizes.size)
    # The latest usable cell at or before each position; before the first, the first.
    source = np.searchsorted(usable, positions, "right") - 1
    source = usable[np.maximum(source, 0)]
    smoothed = [_running_median3(curve[source]) for curve in curves]
    lower = np.minimum(smoothed[0], smoothed[1])
    upper = np.maximum(smoothed[2], smoothed[1])
    return tuple(tuple(round(float(v), 4) for v in curve) for curve in (lower, smoothed[1], upper))


def _running_median3(values: np.ndarray) -> np.ndarray:
    if values.size < 3:
        return values.copy()
    padded = np.concatenate(([values[0]], values, [values[-1]]))
    window = np.stack((padded[:-2], padded[1:-1], padded[2:]))
    return np.median(window, axis=0)


@dataclass(frozen=True)
class Expectation:
    """Where a score is expected to be, and its tolerance band, at one score number."""

    score_number: int
    expected: float
    lower: float
    upper: float
    source: str  # AGENCY (fitted on the agency's history) or PUBLISHED (reliable change)
    band_label: str
    lower_is_better: bool
    # The reliable change a PUBLISHED band is built from.
    threshold: float | None = None

    def off_track(self, total: float | None) -> bool:
        """Whether ``total`` is beyond the edge on the worse side.

        A fitted band's edge is itself outside the band; a published band is a reliable
        change, which counts at the threshold (as the reliable-deterioration rule does).
        """
        if total is None or not math.isfinite(total) or self.score_number < 2:
            return False
        if self.source == PUBLISHED:
            return total >= self.upper if self.lower_is_better else total <= self.lower
        return total > self.upper if self.lower_is_better else total < self.lower

    @property
    def raises(self) -> bool:
        """Whether being off track here is a not-on-track finding (fitted bands only)."""
        return self.source == AGENCY

    @property
    def worse_edge(self) -> float:
        return self.upper if self.lower_is_better else self.lower


def expectation(
    spec: InstrumentSpec,
    fitted: InstrumentFit | None,
    intake: float,
    score_number: int,
    *,
    reliable_change: float | None = None,
) -> Expectation:
    """Return the expected score and band at ``score_number`` for a client with ``intake``.

    Uses the fitted band when there is one; otherwise the published rule (``reliable_change``,
    or the instrument's own).
    """
    index = min(spec.band_of(intake), len(spec.band_labels) - 1)
    label = spec.band_labels[index]
    band = fitted.bands[index] if fitted is not None and index < len(fitted.bands) else None
    if band is not None and band.fitted and band.median and score_number < 2:
        # The intake is where the fitted course starts: a point, not a range.
        value = spec.clip(intake)
        return Expectation(1, value, value, value, AGENCY, label, spec.lower_is_better)
    if score_number >= 2 and band is not None and band.fitted and band.median:
        cell = min(score_number, len(band.median) + 1) - 2
        return Expectation(
            score_number,
            spec.clip(intake + band.median[cell]),
            spec.clip(intake + band.lower[cell]),
            spec.clip(intake + band.upper[cell]),
            AGENCY,
            label,
            spec.lower_is_better,
        )
    threshold = spec.reliable_change if reliable_change is None else float(reliable_change)
    return Expectation(
        score_number,
        spec.clip(intake),
        spec.clip(intake - threshold),
        spec.clip(intake + threshold),
        PUBLISHED,
        label,
        spec.lower_is_better,
        threshold,
    )


@dataclass(frozen=True)
class CourseRow:
    """One scored total of a client's series, beside what was expected of it."""

    score_number: int
    total: float
    expectation: Expectation

    @property
    def off_track(self) -> bool:
        return self.expectation.off_track(self.total)


def course(
    spec: InstrumentSpec,
    fitted: InstrumentFit | None,
    totals: Sequence[float | None],
    *,
    reliable_change: float | None = None,
) -> list[CourseRow | None]:
    """Return, for each of a client's totals (oldest first), its score number and expectation.

    An unscored total (None) has no row (None in its place) and no score number.
    """
    rows: list[CourseRow | None] = []
    intake = None
    number = 0
    for total in totals:
        if total is None or not math.isfinite(total):
            rows.append(None)
            continue
        number += 1
        if intake is None:
            intake = float(total)
        rows.append(
            CourseRow(
                number,
                float(total),
                expectation(spec, fitted, intake, number, reliable_change=reliable_change),
            )
        )
    return rows


def curve(
    spec: InstrumentSpec,
    fitted: InstrumentFit | None,
    intake: float,
    last: int,
    *,
    reliable_change: float | None = None,
) -> list[Expectation]:
    """Return the expectations for score numbers 1..``last`` from ``intake``."""
    return [
        expectation(spec, fitted, intake, number, reliable_change=reliable_change)
        for number in range(1, max(last, 1) + 1)
    ]


def fits_from_json(data: Mapping[str, Any] | None) -> dict[str, InstrumentFit]:
    """Return the stored fits by instrument name (``parameters`` of a stored fit)."""
    if not data:
        return {}
    return {
        name: InstrumentFit.from_json(entry)
        for name, entry in (data.get("instruments") or {}).items()
    }


def show(value: float) -> str:
    """A number as people read it: one decimal at most, none when whole."""
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded.is_integer() else str(rounded)
