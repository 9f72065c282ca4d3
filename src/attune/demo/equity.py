"""Planted, realistic gaps for the demo's equity dashboard, so a leader sees what a finding is.

Invented data only.  Without it every demo client would be seen, none would leave early and
almost nobody would rate a session, and the dashboard would have nothing to say.  This module
gives the demo clients (after ``seed_notes`` has held their sessions) the kind of gaps that
agencies find in their own data, each in one self-identified group:

- waiting: clients who identify as Hispanic or Latino wait about twelve days longer from
  referral to a first session (median about 26 days against about 14);
- leaving early: clients who identify as Black or African American leave therapy early about
  four times as often (more than half of them against about one in eight);
- feeling respected: the same clients rate their therapist's cultural humility about twelve
  points lower (0-100), while they rate how the sessions went like everyone else;
- documentation language: planted by ``attune.demo.notes`` (stigmatizing wording in the notes
  about Black clients about three times as often).

Everyone else varies at random around the same values, so the other groups' differences are
small enough to be chance.  The counts of who leaves early are fixed per group rather than
drawn, so the planted gap is the same size whatever the seed gives the groups.

Clients the other demo modules use (each therapist's first open clients, and anyone with a
link, plan or repair log) stay open.  Everything is bulk-written: no trail entries, no
signals, no messages, as in ``attune.demo.load``.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from attune.care.models import RepairLog, SessionStatus, TherapySession, TreatmentPlan
from attune.clients.models import Client, ClientLink, EndReason, IdentityCategory
from attune.demo.load import LINK_DAYS, _dates_as_given, _token_hashes
from attune.measures import services as measures_services
from attune.measures.models import CheckIn, Response
from attune.measures.scoring import score

SEED = 20260601
WAIT_GROUP = ("race_ethnicity", "hispanic")
LEAVE_GROUP = ("race_ethnicity", "black")
RESPECT_GROUP = ("race_ethnicity", "black")
# Median days from referral to a first session (log-normal around it), in the group or not.
WAIT_MEDIAN_DAYS = {True: 26, False: 14}
WAIT_SPREAD = 0.4  # standard deviation of the log of the wait
# Share of each group's clients who left therapy early.
DROPOUT_SHARE = {True: 0.55, False: 0.12}
# Each client's usual rating (0-10) of the humility items, in the group or not, and of the
# session items for everyone.
HUMILITY_LEVEL = {True: 7.0, False: 8.2}
ALLIANCE_LEVEL = 8.0
CLIENT_SPREAD = 0.7  # between clients
ANSWER_SPREAD = 0.7  # between one check-in's items and the next
CHECKINS_PER_CLIENT = 4  # the last held sessions of a client each get a check-in
KEPT_OPEN_PER_THERAPIST = 4  # each therapist's first open clients: other demo modules use them
HUMILITY_ITEMS = ("curious", "respected-values", "fully-myself", "could-talk-about-it")


def _members(group: tuple[str, str]) -> set[int]:
    """Return the ids of the clients whose newest self-identification chose ``group``."""
    question, code = group
    identities = IdentityCategory.objects.filter(question=question, code=code).values_list(
        "self_identification_id", flat=True
    )
    clients = Client.objects.filter(latest_identity_id__in=identities)
    return set(clients.values_list("pk", flat=True))


@transaction.atomic
def seed_equity_gaps(*, seed: int = SEED) -> int:
    """Plant the gaps once (waits, early endings, check-ins); return the check-ins answered."""
    if Client.objects.filter(end_reason=EndReason.DROPPED_OUT).exists():
        return 0
    rng = random.Random(seed)
    held = (
        TherapySession.objects.filter(status=SessionStatus.HELD)
        .values("client_id")
        .annotate(first=Min("starts_at"), last=Max("starts_at"))
    )
    sessions = {row["client_id"]: (row["first"], row["last"]) for row in held}
    if not sessions:
        return 0
    _plant_waits(rng, sessions)
    _plant_dropouts(rng, sessions)
    return _plant_checkins(rng)


def _plant_waits(rng: random.Random, sessions: dict) -> None:
    """Date each seen client's referral a planted wait before their first held session."""
    waiting = _members(WAIT_GROUP)
    clients = []
    for client_id in sorted(sessions):
        median = WAIT_MEDIAN_DAYS[client_id in waiting]
        days = round(rng.lognormvariate(math.log(median), WAIT_SPREAD))
        first, _last = sessions[client_id]
        referred = first - timedelta(days=max(1, min(90, days)))
        clients.append(Client(pk=client_id, created_at=referred))
    Client.objects.bulk_update(clients, ["created_at"], batch_size=1000)


def _kept_open() -> set[int]:
    """Return the clients other demo modules rely on being open."""
    kept: set[int] = set()
    per_therapist: dict[int, int] = defaultdict(int)
    for client_id, therapist_id in (
        Client.objects.filter(closed_at__isnull=True).order_by("pk").values_list("pk", "therapist")
    ):
        if per_therapist[therapist_id] < KEPT_OPEN_PER_THERAPIST:
            kept.add(client_id)
        per_therapist[therapist_id] += 1
    for model in (ClientLink, TreatmentPlan, RepairLog):
        kept |= set(model.objects.values_list("client_id", flat=True))
    return kept


def _plant_dropouts(rng: random.Random, sessions: dict) -> None:
    """Close a fixed share of each group's seen clients as having left therapy early."""
    leaving = _members(LEAVE_GROUP)
    kept = _kept_open()
    now = timezone.now()
    closed = []
    for in_group in (True, False):
        group = sorted(c for c in sessions if (c in leaving) == in_group)
        eligible = [c for c in group if c not in kept]
        count = min(len(eligible), round(DROPOUT_SHARE[in_group] * len(group)))
        for client_id in rng.sample(eligible, count):
            _first, last = sessions[client_id]
            closed_at = min(now - timedelta(days=1), last + timedelta(days=rng.randint(14, 35)))
            closed.append(
                Client(pk=client_id, closed_at=closed_at, end_reason=EndReason.DROPPED_OUT)
            )
    Client.objects.bulk_update(closed, ["closed_at", "end_reason"], batch_size=1000)


def _plant_checkins(rng: random.Random) -> int:
    """Give the last held sessions of each client without one a session check-in, answered."""
    stored = measures_services.bundled_instrument_stored(measures_services.SESSION_CHECKIN)
    instrument = measures_services.instrument_of(stored)
    rated = tuple(instrument.scoring.items) if instrument.scoring else ()
    respect = _members(RESPECT_GROUP)
    answered = set(Response.objects.values_list("client_id", flat=True))
    by_client: dict[int, list[TherapySession]] = defaultdict(list)
    for session in (
        TherapySession.objects.filter(status=SessionStatus.HELD)
        .exclude(client_id__in=answered)
        .order_by("client_id", "-starts_at")
    ):
        if len(by_client[session.client_id]) < CHECKINS_PER_CLIENT:
            by_client[session.client_id].append(session)
    now = timezone.now()
    hashes = _token_hashes(sum(len(rows) for rows in by_client.values()))
    links, plans = [], []
    for client_id in sorted(by_client):
        humility = rng.gauss(HUMILITY_LEVEL[client_id in respect], CLIENT_SPREAD)
        alliance = rng.gauss(ALLIANCE_LEVEL, CLIENT_SPREAD)
        for session in reversed(by_client[client_id]):
            sent_at = (session.held_at or session.starts_at) + timedelta(minutes=55)
            submitted_at = min(now, sent_at + timedelta(hours=rng.uniform(0.5, 30)))
            values = {
                item: max(
                    0,
                    min(
                        10,
                        round(
                            (humility if item in HUMILITY_ITEMS else alliance)
                            + rng.gauss(0, ANSWER_SPREAD)
                        ),
                    ),
                )
                for item in rated
            }
            links.append(
                ClientLink(
                    client_id=client_id,
                    purpose=measures_services.CHECKIN_PURPOSE,
                    token_hash=hashes.pop(),
                    created_by_id=session.therapist_id,
                    created_at=sent_at,
                    expires_at=sent_at + timedelta(days=LINK_DAYS),
                    used_at=submitted_at,
                )
            )
            plans.append((session, sent_at, submitted_at, values))
    with _dates_as_given(ClientLink._meta.get_field("created_at")):
        ClientLink.objects.bulk_create(links, batch_size=1000)
    checkins = CheckIn.objects.bulk_create(
        [
            CheckIn(
                client_id=link.client_id,
                instrument=stored,
                session_id=session.pk,
                link_id=link.pk,
                goal_texts={},
                sent_by_id=session.therapist_id,
                sent_at=sent_at,
                expires_at=link.expires_at,
            )
            for link, (session, sent_at, _submitted, _values) in zip(links, plans, strict=True)
        ],
        batch_size=1000,
    )
    Response.objects.bulk_create(
        [
            Response(
                checkin_id=checkin.pk,
                client_id=checkin.client_id,
                instrument=stored,
                answers=values,
                submitted_at=submitted_at,
                **Response.scored_fields(score(instrument, values)),
            )
            for checkin, (_session, _sent, submitted_at, values) in zip(
                checkins, plans, strict=True
            )
        ],
        batch_size=1000,
    )
    return len(plans)
