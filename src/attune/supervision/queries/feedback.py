"""Reads of humility feedback: what a supervisee has answered, and the agency-wide aggregate."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.utils import timezone

from attune.supervision import humility
from attune.supervision.models import HumilityFeedback
from attune.supervision.queries.pairs import pairs_of_supervisee

AGENCY_MIN_SUPERVISORS = 2  # one supervisor's results alone are never shown to leaders


def feedback_to_give(supervisee, today: date | None = None) -> list[dict]:
    """Return the supervisee's current supervisors, each with whether this period is answered."""
    period = humility.Period.containing(today or timezone.localdate())
    answered = set(
        HumilityFeedback.objects.filter(supervisee=supervisee, period=period.key).values_list(
            "supervisor_id", flat=True
        )
    )
    seen, rows = set(), []
    for pair in pairs_of_supervisee(supervisee):
        if pair.supervisor_id not in seen:
            seen.add(pair.supervisor_id)
            rows.append({"supervisor": pair.supervisor, "answered": pair.supervisor_id in answered})
    return rows


def agency_feedback(today: date | None = None, periods: int = 4) -> list[dict]:
    """Return the agency-wide means for the last closed periods; small ones are held.

    A period is shown when at least three supervisees answered and at least two supervisors were
    rated, so no one supervisor's results can be read from it.  No comments, no ranges.
    """
    today = today or timezone.localdate()
    period = humility.Period.containing(today).previous()
    result = []
    for _ in range(periods):
        counts = HumilityFeedback.objects.filter(period=period.key).aggregate(
            n=Count("id"), supervisors=Count("supervisor", distinct=True)
        )
        row = {"period": period, "n": counts["n"], "items": None}
        if (
            counts["n"] >= humility.MIN_RESPONDENTS
            and counts["supervisors"] >= AGENCY_MIN_SUPERVISORS
        ):
            answers = list(
                HumilityFeedback.objects.filter(period=period.key).values_list("answers", flat=True)
            )
            summary = humility.summarise(answers, [], salt="")
            row["items"] = [
                {"text": item["text"], "mean": item["mean"]} for item in summary["items"]
            ]
        result.append(row)
        period = period.previous()
    return result
