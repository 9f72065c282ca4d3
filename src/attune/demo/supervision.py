"""Invented supervision for the demo: a past meeting with notes and actions, a planned meeting,
a growth plan written by both people, and humility feedback for the last closed half-year.

Everything goes through the supervision services, so the trail shows it like any other work.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from attune.access.actor import StaffActor
from attune.access.models import Role, StaffUser
from attune.relationships.models import SupervisionPair
from attune.supervision import humility, services
from attune.supervision.models import SupervisionMeeting

NOTES = (
    "Went through the agenda. Two clients have no cultural formulation yet; agreed to start "
    "with the one who asked about faith and family. Talked about a missed appointment pattern "
    "and whether the bus route and evening hours are the barrier rather than motivation. "
    "Supervisor shared a recent misstep of their own with an interpreter booking."
)
ACTIONS = (
    "Offer the cultural formulation at the next session with the newest client",
    "Ask the front desk about evening appointments for clients who work shifts",
)
GOALS = (
    (
        "education",
        "Learn how the families I see talk about mental health",
        "Read two community-written accounts and discuss them in supervision.",
        "Read the first account; noted three phrases families use instead of 'depression'.",
    ),
    (
        "experiential",
        "Attend a community event run by a partner organisation",
        "Go as a guest, listen, and reflect on what was new.",
        "Planned for next month; we agreed what to notice beforehand.",
    ),
)
SCORES = ((3, 4, 3, 2, 3), (4, 3, 2, 3, 4), (2, 3, 3, 3, 2), (3, 2, 4, 4, 3))
COMMENTS = (
    "It helps when you say you are still learning too.",
    "",
    "I would like more time on power between us, not only with clients.",
    "Safe to bring mistakes.",
)


@transaction.atomic
def seed_supervision() -> None:
    """Add the demo's supervision material to the first supervisor's first pair."""
    supervisors = StaffUser.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("pk")
    if not supervisors or SupervisionMeeting.objects.exists():
        return
    today = timezone.localdate()
    closed = humility.Period.containing(today).previous()
    for supervisor in supervisors:
        pairs = list(SupervisionPair.objects.filter(supervisor=supervisor).order_by("pk"))
        for pair, scores, comment in zip(pairs, SCORES, COMMENTS, strict=False):
            services.feedback_submit(
                actor=StaffActor(user=pair.supervisee, request_id="seed"),
                supervisor=supervisor,
                answers=dict(zip(humility.ITEM_KEYS, scores, strict=True)),
                comment=comment,
                today=closed.ends_on - timedelta(days=10),
            )
    supervisor = supervisors[0]
    first_pair = SupervisionPair.objects.filter(supervisor=supervisor).order_by("pk").first()
    if first_pair is None:
        return
    pair = first_pair
    by_supervisor = StaffActor(user=supervisor, request_id="seed")
    by_supervisee = StaffActor(user=pair.supervisee, request_id="seed")
    past = services.meeting_plan(
        actor=by_supervisor, pair=pair, meets_on=max(pair.starts_on, today - timedelta(days=14))
    )
    services.meeting_record(
        actor=by_supervisor, meeting=past, status="held", notes=NOTES, version=1, actions=ACTIONS
    )
    services.meeting_plan(actor=by_supervisor, pair=pair, meets_on=today + timedelta(days=7))
    for kind, title, description, text in GOALS:
        goal = services.goal_add(
            actor=by_supervisee,
            supervisee=pair.supervisee,
            kind=kind,
            title=title,
            description=description,
            target_on=today + timedelta(days=90),
        )
        services.entry_add(actor=by_supervisee, goal=goal, kind="evidence", text=text)
        services.entry_add(
            actor=by_supervisor,
            goal=goal,
            kind="review",
            text="Good start. Bring one example to our next meeting.",
        )
