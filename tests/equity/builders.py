"""Small hand-made episode files for the equity tests."""

from __future__ import annotations

import csv
from pathlib import Path

from attune.equity.schema import EPISODE_COLUMNS

ATTRIBUTES = ("gender", "language")


def episode(index: int, **overrides: object) -> dict[str, object]:
    """Return one valid, seen, completed episode; keyword arguments replace its fields."""
    row: dict[str, object] = {
        "episode_id": f"e{index}",
        "client_id": f"c{index}",
        "referral_date": "2025-01-01",
        "first_session_date": "2025-01-15",
        "end_date": "2025-03-01",
        "end_reason": "completed",
        "sessions_scheduled": 8,
        "sessions_attended": 7,
        "phq9_first": 15,
        "phq9_last": 8,
        "gad7_first": 12,
        "gad7_last": 6,
        "humility_mean": 80,
        "alliance_mean": 75,
        "gender": "Woman",
        "language": "English",
    }
    row.update(overrides)
    return row


def write_rows(
    path: Path, rows: list[dict[str, object]], columns: tuple[str, ...] | None = None
) -> Path:
    """Write rows to a CSV file with the episode columns and the test attributes."""
    header = columns or (*EPISODE_COLUMNS, *ATTRIBUTES)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {name: "" if row.get(name) is None else row.get(name) for name in header}
            )
    return path


def valid_rows(count: int = 30) -> list[dict[str, object]]:
    """Return ``count`` valid episodes."""
    return [episode(index) for index in range(1, count + 1)]
