"""The demo's session notes carry a planted difference the equity report finds."""

from __future__ import annotations

from attune.care.models import SessionNote
from attune.demo.agency import generate_agency
from attune.demo.notes import seed_notes
from attune.equity.database import report_from_database


def test_the_demo_notes_show_the_planted_gap(db):
    generate_agency(clients=600, therapists=6, supervisors=1)
    written = seed_notes()
    assert written > 0 and seed_notes() == 0  # once only
    assert SessionNote.objects.count() == written
    report = report_from_database(attributes=("race_ethnicity",))
    rows = {
        row.group: row
        for row in report.rows
        if row.metric == "stigmatizing_per_1000_words" and not row.suppressed
    }
    assert "black" in rows
    assert rows["black"].ratio > 1.5
