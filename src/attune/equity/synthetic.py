"""Deterministic synthetic episodes with planted gaps, for tests and the benchmark.

Every row is invented; no real person is behind any of it. The same ``seed`` always
gives the same episodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

GENDERS = (
    ("Woman", 0.47),
    ("Man", 0.38),
    ("Non-binary", 0.05),
    ("Woman;Non-binary", 0.02),
    ("Two-Spirit", 0.02),
    ("", 0.06),
)
LANGUAGES = (
    ("English", 0.72),
    ("Spanish", 0.14),
    ("English;Spanish", 0.05),
    ("Vietnamese", 0.03),
    ("Arabic", 0.02),
    ("", 0.04),
)
RACES = (
    ("White", 0.45),
    ("Black", 0.2),
    ("Latine", 0.14),
    ("Asian", 0.07),
    ("Black;White", 0.03),
    ("Indigenous", 0.02),
    ("Latine;White", 0.03),
    ("", 0.06),
)
# An attribute that, by construction, has nothing to do with care: its gaps are all null.
SEASONS = (("Spring", 0.25), ("Summer", 0.25), ("Autumn", 0.25), ("Winter", 0.2), ("", 0.05))


@dataclass(frozen=True)
class PlantedGaps:
    """The differences planted in the synthetic data (all zero or one means none)."""

    spanish_dropout_ratio: float = 1.9
    spanish_extra_wait_days: float = 7.0
    spanish_humility_drop: float = 8.0
    black_never_seen_ratio: float = 1.6
    nonbinary_alliance_drop: float = 7.0


NO_GAPS = PlantedGaps(1.0, 0.0, 0.0, 1.0, 0.0)


def _choose(rng: np.random.Generator, options: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    labels = np.array([label for label, _ in options])
    weights = np.array([weight for _, weight in options])
    return labels[rng.choice(len(labels), size=n, p=weights / weights.sum())]


def generate_episodes(n: int, *, seed: int = 0, gaps: PlantedGaps | None = None) -> pl.DataFrame:
    """Return ``n`` synthetic episodes in the episode-file shape (typed columns)."""
    gaps = PlantedGaps() if gaps is None else gaps
    rng = np.random.default_rng(seed)
    gender = _choose(rng, GENDERS, n)
    language = _choose(rng, LANGUAGES, n)
    race = _choose(rng, RACES, n)
    season = _choose(rng, SEASONS, n)
    spanish = np.char.find(language.astype(str), "Spanish") >= 0
    black = np.char.find(race.astype(str), "Black") >= 0
    nonbinary = np.char.find(gender.astype(str), "Non-binary") >= 0

    referral = np.datetime64(date(2024, 1, 1)) + rng.integers(0, 700, n).astype("timedelta64[D]")
    never_seen_probability = np.where(black, 0.1 * gaps.black_never_seen_ratio, 0.1)
    seen = rng.random(n) >= never_seen_probability
    wait = rng.poisson(14, n) + np.where(spanish, gaps.spanish_extra_wait_days, 0).astype(int)
    first_session = referral + wait.astype("timedelta64[D]")

    scheduled = 1 + rng.poisson(8, n)
    attended = rng.binomial(scheduled, 0.85)
    engaged = seen & (attended >= 1)
    dropout_probability = np.where(spanish, 0.2 * gaps.spanish_dropout_ratio, 0.2)
    dropped = engaged & (rng.random(n) < dropout_probability)
    other_end = _choose(rng, (("completed", 0.8), ("transferred", 0.05), ("ongoing", 0.15)), n)
    end_reason = np.where(dropped, "dropped_out", np.where(seen, other_end, "ongoing"))
    end_reason = np.where(~seen & (rng.random(n) < 0.3), "transferred", end_reason)
    ended = end_reason != "ongoing"
    end_date = np.where(seen, first_session, referral) + (7 * scheduled).astype("timedelta64[D]")

    phq_first = rng.binomial(27, 0.45, n)
    phq_last = np.clip(phq_first - np.rint(rng.normal(4, 5, n)), 0, 27)
    gad_first = rng.binomial(21, 0.45, n)
    gad_last = np.clip(gad_first - np.rint(rng.normal(3, 4, n)), 0, 21)
    scored = engaged & (rng.random(n) < 0.8)
    rescored = scored & (rng.random(n) < np.where(dropped, 0.4, 0.9))
    humility = np.clip(
        rng.normal(78, 12, n) - np.where(spanish, gaps.spanish_humility_drop, 0), 0, 100
    )
    alliance = np.clip(
        rng.normal(75, 12, n) - np.where(nonbinary, gaps.nonbinary_alliance_drop, 0), 0, 100
    )
    rated = engaged & (rng.random(n) < 0.7)

    ids = np.arange(1, n + 1)
    frame = pl.DataFrame(
        {
            "episode_id": ids,
            "client_id": rng.integers(1, max(2, int(n * 0.9)), n),
            "referral_date": referral,
            "first_session_date": first_session,
            "end_date": end_date,
            "end_reason": end_reason,
            "sessions_scheduled": np.where(seen, scheduled, 0),
            "sessions_attended": np.where(seen, attended, 0),
            "phq9_first": phq_first,
            "phq9_last": phq_last.astype(int),
            "gad7_first": gad_first,
            "gad7_last": gad_last.astype(int),
            "humility_mean": np.round(humility, 1),
            "alliance_mean": np.round(alliance, 1),
            "gender": gender,
            "language": language,
            "race": race,
            "birth_season": season,
        }
    )
    empty_text = {
        name: pl.when(pl.col(name) == "").then(None).otherwise(pl.col(name))
        for name in ("gender", "language", "race", "birth_season")
    }
    return frame.with_columns(
        pl.col("episode_id").cast(pl.String).str.pad_start(8, "0").alias("episode_id"),
        pl.col("client_id").cast(pl.String),
        pl.when(pl.Series(seen)).then(pl.col("first_session_date")).alias("first_session_date"),
        pl.when(pl.Series(ended)).then(pl.col("end_date")).alias("end_date"),
        *[
            pl.when(pl.Series(scored)).then(pl.col(c)).alias(c)
            for c in ("phq9_first", "gad7_first")
        ],
        *[
            pl.when(pl.Series(rescored)).then(pl.col(c)).alias(c)
            for c in ("phq9_last", "gad7_last")
        ],
        *[
            pl.when(pl.Series(rated)).then(pl.col(c)).alias(c)
            for c in ("humility_mean", "alliance_mean")
        ],
        **empty_text,
    )


def write_episodes_csv(
    path: str | Path, n: int, *, seed: int = 0, gaps: PlantedGaps | None = None
) -> Path:
    """Write ``n`` synthetic episodes to a CSV file and return its path."""
    path = Path(path)
    generate_episodes(n, seed=seed, gaps=gaps).write_csv(path)
    return path
