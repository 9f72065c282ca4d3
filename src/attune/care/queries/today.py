"""The therapist's "Today" page: what needs them today, in a fixed number of queries.

Safety alerts come first, apart from everything else; then today's sessions, open rupture
alerts (one per check-in, each with all its reasons and the client's comment), the clients' words
from the last days, repairs due for follow-up, plans due for review, and check-ins sent but not yet
answered. One trail entry records the listing, like the caseload and the signals page, and one
more for each client whose comment the page shows, written together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from attune.access import trail
from attune.access.actor import StaffActor
from attune.access.models import TrailAction
from attune.care.models import RepairLog, TherapySession, TreatmentPlan
from attune.care.queries.plans import plans_due_for_review
from attune.care.queries.repairs import repairs_due
from attune.clients.queries import shared_name_codes
from attune.measures.models import CheckIn
from attune.measures.queries import (
    RECENT_COMMENT_DAYS,
    CommentRow,
    SignalRow,
    comment_entries,
    open_signal_rows,
    recent_comments,
)


@dataclass
class TodayPage:
    day: date
    sessions: list[TherapySession] = field(default_factory=list)
    safety: list[SignalRow] = field(default_factory=list)
    rupture: list[SignalRow] = field(default_factory=list)
    repairs_due: list[RepairLog] = field(default_factory=list)
    plans_due: list[TreatmentPlan] = field(default_factory=list)
    unanswered: list[CheckIn] = field(default_factory=list)
    # Comments on check-ins of the last ``RECENT_COMMENT_DAYS`` days that came without an alert.
    comments: list[CommentRow] = field(default_factory=list)
    comment_days: int = RECENT_COMMENT_DAYS
    # Case codes of the therapist's clients who share a chosen name with another, by client id.
    tell_apart: dict[int, str] = field(default_factory=dict)

    @property
    def is_clear(self) -> bool:
        return not (
            self.sessions
            or self.safety
            or self.rupture
            or self.repairs_due
            or self.plans_due
            or self.unanswered
            or self.comments
        )


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Return the start and end of ``day`` in the agency's time zone."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def sessions_on(*, therapist, day: date) -> list[TherapySession]:
    """Return the therapist's sessions on ``day`` with their clients, in time order."""
    start, end = day_bounds(day)
    return list(
        TherapySession.objects.filter(therapist=therapist, starts_at__gte=start, starts_at__lt=end)
        .select_related("client")
        .order_by("starts_at", "pk")
    )


def unanswered_checkins(*, therapist, now: datetime) -> list[CheckIn]:
    """Return check-ins of the therapist's active clients still open and not answered."""
    return list(
        CheckIn.objects.filter(
            client__therapist=therapist,
            client__closed_at__isnull=True,
            expires_at__gt=now,
            link__used_at__isnull=True,
            link__revoked_at__isnull=True,
            responses__isnull=True,
        )
        .select_related("client", "instrument")
        .prefetch_related("deliveries")  # whether the text arrived: one query for the list
        .defer("instrument__source")  # the page shows the title; the source is kilobytes
        .order_by("sent_at", "pk")
    )


def _attach_repairs(rows: list[SignalRow]) -> None:
    """Give each rupture signal row the id of the repair log opened from it, if any (one query)."""
    logs = dict(
        RepairLog.objects.filter(signal_id__in=[row.signal.pk for row in rows]).values_list(
            "signal_id", "pk"
        )
    )
    for row in rows:
        row.repair_id = logs.get(row.signal.pk)


def today(*, actor: StaffActor, now: datetime | None = None) -> TodayPage:
    """Return what ``actor`` (a therapist) has today, recording one trail entry."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    therapist = actor.user
    signals = open_signal_rows(therapist)
    _attach_repairs(signals.rupture)
    page = TodayPage(
        day=day,
        sessions=sessions_on(therapist=therapist, day=day),
        safety=signals.safety,
        rupture=signals.rupture,
        repairs_due=repairs_due(therapist=therapist, on=day),
        plans_due=plans_due_for_review(therapist=therapist, on=day),
        unanswered=unanswered_checkins(therapist=therapist, now=now),
        comments=recent_comments(
            user=therapist,
            since=now - timedelta(days=RECENT_COMMENT_DAYS),
            exclude_responses=[row.signal.response_id for row in signals.rupture + signals.safety],
        ),
        tell_apart=shared_name_codes(therapist=therapist),
    )
    shown: dict[int, list[int]] = {}
    for row in page.safety + page.rupture:
        if row.comment:
            shown.setdefault(row.signal.client_id, []).append(row.signal.response_id)
    for comment in page.comments:
        shown.setdefault(comment.response.client_id, []).append(comment.response.pk)
    trail.record_many(
        [
            trail.Entry(
                actor=actor,
                action=TrailAction.VIEW,
                object_type="today",
                object_ref=therapist.pk,
                section="today",
                detail=(
                    f"{len(page.sessions)} sessions, {len(page.safety)} safety and "
                    f"{len(page.rupture)} rupture alerts, {len(page.repairs_due)} repairs and "
                    f"{len(page.plans_due)} plans due, {len(page.unanswered)} unanswered "
                    f"check-ins, {len(page.comments)} recent comments"
                ),
            ),
            *comment_entries(actor, shown, "Today"),
        ]
    )
    return page
