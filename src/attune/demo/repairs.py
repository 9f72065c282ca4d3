"""Demo repair logs for the first therapist: one open and due today, one that held.

Invented people and words only.  Each client's check-ins are answered through the real services
(so their signals are raised by the real rules) and then dated back over the past weeks.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from attune.access.actor import Actor, StaffActor
from attune.access.models import Role, StaffUser
from attune.care import services as care_services
from attune.care.models import RepairLog
from attune.clients import services as client_services
from attune.clients.models import Client
from attune.measures import services as measures_services
from attune.measures.bundled import session_checkin_ratings
from attune.measures.models import Response, Signal


def _checkin(therapist, client, value: int, days_ago: float, comment: str = "") -> Response:
    """Answer one session check-in as ``client`` and date it ``days_ago``."""
    issued = client_services.link_issue(
        actor=StaffActor(user=therapist), client=client, purpose=measures_services.CHECKIN_PURPOSE
    )
    actor = Actor(link_id=issued.link.pk)
    checkin = measures_services.checkin_for_link(actor=actor, link=issued.link)
    answers: dict[str, object] = dict.fromkeys(session_checkin_ratings(), value)
    if comment:
        answers["comment"] = comment
    stored = measures_services.checkin_submit(
        actor=actor, checkin=checkin, answers={checkin.instrument.key: answers}
    )
    assert stored is not None  # a fresh link: stored
    (response,) = stored
    when = timezone.now() - timedelta(days=days_ago)
    Response.objects.filter(pk=response.pk).update(submitted_at=when)
    Signal.objects.filter(response=response).update(raised_at=when)
    response.refresh_from_db()
    return response


def _open_from(therapist, client, low: Response, days_ago: float, follow_up_on, **texts):
    signal = low.signals.get(kind="rupture")
    log = care_services.repair_open(
        actor=StaffActor(user=therapist),
        client=client,
        signal=signal,
        follow_up_on=follow_up_on,
        **texts,
    )
    RepairLog.objects.filter(pk=log.pk).update(opened_at=timezone.now() - timedelta(days=days_ago))
    log.refresh_from_db()
    return log


@transaction.atomic
def seed_repairs() -> int:
    """Add the two demo repair logs once; return how many were added."""
    if RepairLog.objects.exists():
        return 0
    therapist = StaffUser.objects.filter(role=Role.THERAPIST).order_by("id").first()
    clients = list(
        Client.objects.filter(therapist=therapist, closed_at__isnull=True).order_by("id")[:2]
    )
    if therapist is None or len(clients) < 2:
        return 0
    today = timezone.localdate()
    due, held = clients

    for days_ago, value in ((24, 8), (17, 8), (10, 9)):
        _checkin(therapist, due, value, days_ago)
    low = _checkin(therapist, due, 4, 3, comment="It felt like my faith was a problem to solve.")
    _open_from(
        therapist,
        due,
        low,
        2,
        today,
        what_happened="I framed their fasting as something to work around in the plan.",
        client_impact="They said it felt like their faith was a problem to solve.",
        acknowledgement="I named that I had treated it as an obstacle rather than asking.",
        apology="I am sorry; I should have asked what the fast means to them.",
        commitment="Ask how their practice shapes the week before planning anything.",
    )

    for days_ago, value in ((35, 9), (28, 8), (21, 8)):
        _checkin(therapist, held, value, days_ago)
    low = _checkin(therapist, held, 4, 14, comment="I was not sure you understood my family.")
    log = _open_from(
        therapist,
        held,
        low,
        13,
        today,
        what_happened="I assumed their family wanted them to move out, without asking.",
        client_impact="They felt their family was being judged.",
        acknowledgement="I said I had made an assumption about their family.",
        apology="I apologised for assuming.",
        commitment="Ask what family means to them before suggesting anything.",
    )
    _checkin(therapist, held, 8, 6, comment="Thank you for coming back to it.")
    _checkin(therapist, held, 9, 1)
    care_services.repair_close(
        actor=StaffActor(user=therapist),
        log=log,
        outcome="held",
        closed_on=today,
        note="Two check-ins back at their usual; we talked it over together.",
    )
    return 2
