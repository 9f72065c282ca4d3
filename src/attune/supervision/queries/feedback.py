"""Reads of humility feedback: what a supervisee has answered, and the agency-wide aggregate."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import Role, StaffUser, TrailAction
from attune.supervision import humility
from attune.supervision.models import HumilityFeedback
from attune.supervision.queries.pairs import pairs_of_supervisee

AGENCY_MIN_SUPERVISORS = 2  # one supervisor's results alone are never shown to leaders


def _viewed(actor: Actor, object_type: str, ref="") -> None:
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        object_type=object_type,
        object_ref=ref,
        section="supervision_feedback",
    )


def feedback_target(*, actor: StaffActor, supervisor_id: int):
    """Return the supervisor ``actor`` may give feedback on now, or raise 404."""
    supervisor = StaffUser.objects.filter(pk=supervisor_id, role=Role.SUPERVISOR).first()
    if supervisor is None or not actor.user.has_perm("supervision.give_feedback", supervisor):
        raise Http404
    _viewed(actor, "feedback_form", supervisor.pk)
    return supervisor


def feedback_to_give(*, actor: StaffActor, today: date | None = None) -> list[dict]:
    """Return ``actor``'s current supervisors, each with whether this period is answered."""
    supervisee = actor.user
    _viewed(actor, "own_supervision", supervisee.pk)
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


def agency_feedback(*, actor: Actor, today: date | None = None, periods: int = 4) -> list[dict]:
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
            if summary is not None:  # enough answers: the count above is of the same rows
                row["items"] = [
                    {"text": item["text"], "mean": item["mean"]} for item in summary["items"]
                ]
        result.append(row)
        period = period.previous()
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        object_type="agency_feedback",
        section="supervision_feedback",
        detail=f"{periods} half-years",
    )
    return result
