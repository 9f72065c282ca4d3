"""Feedback on a supervisor's cultural humility: the items, the periods and the aggregate.

Pure Python (no Django), so the release rules are easy to test on their own.

The instrument is Attune's own wording.  It is NOT a validated measure: it is a prompt for
reflection, and its numbers must not be used to rate or rank anyone.

Periods are calendar half-years (1 January-30 June, 1 July-31 December).  A quarter would
rarely gather three answers for a supervisor of a small team; a year is too slow to act on.
An answer belongs to the period in which it is given, so once a period has ended nothing can be
added to it: its set of answers is fixed before anything about it is shown.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date
from statistics import fmean

VALIDATED = False
MIN_RESPONDENTS = 3  # below this, a supervisor's results for a period are held, never shown
SCALE_MIN, SCALE_MAX = 0, 4
SCALE_LABELS = {
    0: "Not at all",
    1: "A little",
    2: "Somewhat",
    3: "Mostly",
    4: "Completely",
}


@dataclass(frozen=True)
class Item:
    key: str
    text: str


ITEMS: tuple[Item, ...] = (
    Item(
        "safe_mistakes", "I can bring my mistakes to supervision without fear of how I'll be seen."
    ),
    Item(
        "names_learning",
        "My supervisor talks about what they are still learning, including about culture.",
    ),
    Item("invites_feedback", "My supervisor asks for my feedback on supervision and acts on it."),
    Item(
        "culture_power",
        "My supervisor helps me look at culture, power and privilege, including between us.",
    ),
    Item(
        "discomfort",
        "My supervisor treats discomfort about cultural questions as part of learning.",
    ),
)
ITEM_KEYS = tuple(item.key for item in ITEMS)


@dataclass(frozen=True)
class Period:
    """A calendar half-year, such as 2026-H2."""

    year: int
    half: int  # 1 or 2

    @classmethod
    def containing(cls, day: date) -> Period:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def parse(cls, key: str) -> Period:
        year, half = key.split("-H")
        period = cls(int(year), int(half))
        if period.half not in (1, 2):
            raise ValueError(f"not a period: {key!r}")
        return period

    @property
    def key(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def starts_on(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def ends_on(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        return f"{'January to June' if self.half == 1 else 'July to December'} {self.year}"

    def previous(self) -> Period:
        return Period(self.year - 1, 2) if self.half == 1 else Period(self.year, 1)

    def is_closed(self, today: date) -> bool:
        return today > self.ends_on


@dataclass(frozen=True)
class ItemSummary:
    key: str
    text: str
    mean: float
    low: int
    high: int


def summarise(answers: list[dict], comments: list[str], *, salt: str) -> dict | None:
    """Return the releasable summary of one period's answers, or None when there are too few.

    Only means and ranges are given (no counts per scale point, which could single out one
    answer), and comments are shuffled with a seed no one can choose, so their order says
    nothing about who wrote them or when.
    """
    if len(answers) < MIN_RESPONDENTS:
        return None
    items: list[dict[str, object]] = []
    for item in ITEMS:
        values = [answer[item.key] for answer in answers if answer.get(item.key) is not None]
        if len(values) < MIN_RESPONDENTS:
            items.append(
                {"key": item.key, "text": item.text, "mean": None, "low": None, "high": None}
            )
            continue
        items.append(
            {
                "key": item.key,
                "text": item.text,
                "mean": round(fmean(values), 1),
                "low": min(values),
                "high": max(values),
            }
        )
    shuffled = sorted(comment.strip() for comment in comments if comment.strip())
    seed = int.from_bytes(hashlib.sha256(salt.encode()).digest()[:8], "big")
    random.Random(seed).shuffle(shuffled)  # noqa: S311 - order only, not security
    return {"n": len(answers), "items": items, "comments": shuffled}
