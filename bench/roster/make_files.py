"""Write a synthetic roster and schedule of N rows (default 5,000) for timing `attune import`.

python bench/roster/make_files.py OUT_DIR [N] [THERAPIST_PREFIX] [THERAPISTS]
"""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path


def main() -> None:
    out = Path(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    prefix = sys.argv[3] if len(sys.argv) > 3 else "therapist"
    therapists = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    out.mkdir(parents=True, exist_ok=True)
    start = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
    with open(out / "roster.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["external_id", "chosen_name", "pronouns", "language", "email", "therapist"]
        )
        for n in range(rows):
            writer.writerow(
                [
                    f"R-{n:05d}",
                    f"Synthetic Person {n}",
                    "they/them",
                    ("es", "en", "vi", "ar")[n % 4],
                    f"person{n}@example.org",
                    f"{prefix}{n % therapists + 1}",
                ]
            )
    with open(out / "schedule.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["appointment_id", "client_id", "therapist", "start", "status"])
        for n in range(rows):
            writer.writerow(
                [
                    f"A-{n:05d}",
                    f"R-{n:05d}",
                    f"{prefix}{n % therapists + 1}",
                    (start + timedelta(minutes=30 * n)).isoformat(),
                    "booked",
                ]
            )


if __name__ == "__main__":
    main()
