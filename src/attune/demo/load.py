"""Two years of invented history for the synthetic agency, in bulk, for the benchmarks.

``attune seed`` creates the staff and the clients; ``load_history`` then gives them what a
practice accumulates: held sessions, each with its session check-in (a used private link and
the client's encrypted answers), some check-ins never answered, signals (most closed long ago,
a few rupture signals open on every caseload, a few safety signals), the current plans (some due
for review) and repair logs (some due for follow-up), and about four sessions today for each
therapist.  So the therapist's Today page and a client's pages read realistic content at size.

It writes with ``bulk_create`` in batches and with primary keys it numbers itself (no read-back),
bypassing the services: no trail entries are written for this history, and no invitation is sent.
Synthetic data only, deterministic for a given seed (apart from the link tokens, random and
never kept: only their hashes are stored, and every historical link is used or expired).

Encrypted fields are encrypted through the model fields, one Fernet token per row, unless
``reuse_ciphertexts`` is set: then each distinct set of answers is encrypted once and its token
written to every row that holds it (a faster load, at the cost that equal answers have equal
ciphertexts in this synthetic database; never do that with real clients' words).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max, Value
from django.utils import timezone

from attune.access.models import Role, StaffUser
from attune.care.models import (
    CancelledBy,
    RepairLog,
    SessionStatus,
    TherapySession,
    TreatmentPlan,
)
from attune.clients.models import Client, ClientLink
from attune.demo.care_plans import PLANS
from attune.measures import services as measures_services
from attune.measures import signals_rules
from attune.measures.bundled import session_checkin_ratings
from attune.measures.models import CheckIn, Response, Signal, SignalKind, SignalState
from attune.measures.scoring import score

BATCH = 4000
YEARS = 2
LINK_DAYS = 7
CHUNK_CLIENTS = 500  # clients whose history is built and written together
COMMENTS = (
    "Good to talk about my mother today.",
    "I felt rushed at the end.",
    "Me gustó poder hablar en español.",
    "It helped to plan for the holidays.",
    "I was not sure you understood what I meant about church.",
    "شكراً على الصبر اليوم",
)
TODAY_SLOTS = (clock(9, 0), clock(10, 30), clock(13, 0), clock(14, 30), clock(16, 0))
REPAIR_WORDS = (
    "I assumed the client's family would be the problem; the client said they are the support.",
    "I moved on quickly when the client spoke about prayer.",
    "I used the wrong name in a letter to the school.",
)
SIGNAL_RULES = signals_rules.DEFAULT_RULES
HISTORY_MODELS = (TherapySession, ClientLink, CheckIn, Response, Signal, TreatmentPlan, RepairLog)


@dataclass
class LoadSummary:
    checkins: int = 0
    answered: int = 0
    waiting: int = 0  # sent in the past week, not answered, still open
    expired: int = 0  # never answered, link expired
    sessions: int = 0
    sessions_today: int = 0
    signals_open_rupture: int = 0
    signals_open_safety: int = 0
    signals_closed: int = 0
    plans: int = 0
    plans_due: int = 0
    repairs: int = 0
    repairs_due: int = 0
    seconds: float = 0.0
    encrypt_seconds: float = 0.0  # time spent in the encrypted fields (measured on a sample)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@contextmanager
def _dates_as_given(*fields: models.DateTimeField) -> Iterator[None]:
    """Let bulk_create keep the historical dates given, instead of stamping them with now."""
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class _Numbers:
    """Primary keys handed out here, after the highest already stored in each table."""

    def __init__(self) -> None:
        self.next = {
            model: (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
            for model in HISTORY_MODELS
        }

    def take(self, model) -> int:
        number = self.next[model]
        self.next[model] = number + 1
        return number


@dataclass(frozen=True)
class _Answers:
    """One possible set of session check-in answers, scored once by the real scoring."""

    values: dict
    scored: dict  # Response.scored_fields of its scoring
    ciphertext: str | None  # set when ciphertexts are reused

    @property
    def total(self) -> float | None:
        return self.scored["total"]


class _AnswerPool:
    """Answer sets by level (a rating 0–10 in half points), each scored once."""

    VARIANTS = 24

    def __init__(self, rng: random.Random, instrument, *, reuse_ciphertexts: bool) -> None:
        answers_field = Response._meta.get_field("answers")
        rated = instrument.scoring.items
        self.by_level: list[list[_Answers]] = []
        for step in range(21):
            level = step / 2
            variants = []
            for variant in range(self.VARIANTS):
                values: dict[str, Any] = {
                    link_id: max(0, min(10, round(level + rng.gauss(0, 0.8)))) for link_id in rated
                }
                if variant % 6 == 0:
                    values["comment"] = COMMENTS[(step + variant) % len(COMMENTS)]
                result = score(instrument, values)
                variants.append(
                    _Answers(
                        values=values,
                        scored=Response.scored_fields(result),
                        ciphertext=answers_field.get_prep_value(values)
                        if reuse_ciphertexts
                        else None,
                    )
                )
            self.by_level.append(variants)

    def pick(self, rng: random.Random, level: float) -> _Answers:
        step = max(0, min(20, round(level * 2)))
        return rng.choice(self.by_level[step])


def _token_hashes(count: int) -> list[str]:
    """Return ``count`` hashes of fresh random tokens (the tokens themselves are never kept)."""
    randomness = os.urandom(32 * count)
    return [hashlib.sha256(randomness[n * 32 : (n + 1) * 32]).hexdigest() for n in range(count)]


def _shares(rng: random.Random, total: int, parts: int) -> list[int]:
    """Split ``total`` into ``parts`` uneven whole shares (some clients come more than others)."""
    weights = [rng.uniform(0.3, 1.7) for _ in range(parts)]
    scale = total / sum(weights)
    shares = [int(weight * scale) for weight in weights]
    for index in rng.sample(range(parts), total - sum(shares)):
        shares[index] += 1
    return shares


class _Writer:
    """Rows of one chunk of clients, written together in one transaction."""

    def __init__(self) -> None:
        self.rows: dict[type, list] = {model: [] for model in HISTORY_MODELS}

    def add(self, row) -> None:
        self.rows[type(row)].append(row)

    def flush(self) -> None:
        with transaction.atomic():
            for model in HISTORY_MODELS:  # parents before the rows that point to them
                if self.rows[model]:
                    model.objects.bulk_create(self.rows[model], batch_size=BATCH)
                    self.rows[model] = []


def load_history(
    *,
    checkins: int,
    seed: int = 2026,
    now: datetime | None = None,
    reuse_ciphertexts: bool = False,
    open_rupture_share: float = 0.04,
    safety_share: float = 0.005,
    waiting_share: float = 0.05,
    expired_share: float = 0.06,
    plan_share: float = 0.3,
) -> LoadSummary:
    """Give the seeded agency's open clients about ``checkins`` session check-ins over two years.

    The shares are of clients (open rupture signal, open safety signal, a check-in waiting for
    an answer, a current plan) or of historical check-ins (never answered).  Each therapist
    also gets three to five sessions today.  Return what was written and how long it took.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    now = now or timezone.now()
    today = timezone.localdate(now)
    summary = LoadSummary()
    clients = list(
        Client.objects.filter(therapist__isnull=False, closed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "therapist_id")
    )
    if not clients or checkins <= 0:
        return summary
    session_checkin = measures_services.bundled_instrument_stored(measures_services.SESSION_CHECKIN)
    phq9 = measures_services.bundled_instrument_stored("phq9")
    pool = _AnswerPool(
        rng,
        measures_services.instrument_of(session_checkin),
        reuse_ciphertexts=reuse_ciphertexts,
    )
    safety_answers = _safety_answers(measures_services.instrument_of(phq9))
    numbers = _Numbers()
    shares = _shares(rng, checkins, len(clients))
    first_day = now - timedelta(days=365 * YEARS)
    dated = (
        ClientLink._meta.get_field("created_at"),
        TherapySession._meta.get_field("created_at"),
        TherapySession._meta.get_field("updated_at"),
        TreatmentPlan._meta.get_field("created_at"),
        RepairLog._meta.get_field("updated_at"),
    )
    with _dates_as_given(*dated):
        writer = _Writer()
        for index, ((client_id, therapist_id), count) in enumerate(
            zip(clients, shares, strict=True)
        ):
            history = _ClientHistory(
                rng=rng,
                numbers=numbers,
                writer=writer,
                summary=summary,
                client_id=client_id,
                therapist_id=therapist_id,
                now=now,
                instrument=session_checkin,
                pool=pool,
            )
            start = first_day + timedelta(days=rng.uniform(0, 365 * YEARS * 0.6))
            history.sessions_and_checkins(
                count,
                start=start,
                open_rupture=rng.random() < open_rupture_share,
                waiting=rng.random() < waiting_share,
                expired_share=expired_share,
            )
            if rng.random() < safety_share:
                history.safety_checkin(phq9, safety_answers)
            if rng.random() < plan_share:
                history.plan(today)
            if (index + 1) % CHUNK_CLIENTS == 0:
                writer.flush()
        _sessions_today(rng, numbers, writer, summary, clients, now)
        writer.flush()
    _reset_sequences()
    summary.seconds = round(time.perf_counter() - started, 1)
    summary.encrypt_seconds = _encryption_estimate(summary, reuse_ciphertexts)
    return summary


def _safety_answers(instrument) -> tuple[dict, object]:
    """Return PHQ-9 answers with the safety item above its lowest option, and their score."""
    codes = [option.code for option in instrument.item("phq9-1").options]
    values = {f"phq9-{n}": codes[1] for n in range(1, 10)}
    values["phq9-9"] = codes[1]
    return values, score(instrument, values)


class _ClientHistory:
    """One client's rows: sessions, links, check-ins, responses, signals, plan, repair log."""

    def __init__(self, *, rng, numbers, writer, summary, client_id, therapist_id, now, **kw):
        self.rng, self.numbers, self.writer, self.summary = rng, numbers, writer, summary
        self.client_id, self.therapist_id, self.now = client_id, therapist_id, now
        self.instrument, self.pool = kw["instrument"], kw["pool"]
        # Most clients rate sessions well; some less so.  Drift over time, and per session.
        self.level = min(10.0, max(3.0, rng.gauss(7.8, 1.1)))
        self.hashes: list[str] = []
        self.pending_low: list[tuple[Response, float]] = []  # low check-ins awaiting a signal

    def _hash(self) -> str:
        if not self.hashes:
            self.hashes = _token_hashes(256)
        return self.hashes.pop()

    def _link(self, sent_at: datetime, used_at: datetime | None) -> ClientLink:
        link = ClientLink(
            pk=self.numbers.take(ClientLink),
            client_id=self.client_id,
            purpose=measures_services.CHECKIN_PURPOSE,
            token_hash=self._hash(),
            created_by_id=self.therapist_id,
            created_at=sent_at,
            expires_at=sent_at + timedelta(days=LINK_DAYS),
            single_use=True,
            used_at=used_at,
        )
        self.writer.add(link)
        return link

    def _checkin(self, link: ClientLink, instrument, session_id: int | None) -> CheckIn:
        checkin = CheckIn(
            pk=self.numbers.take(CheckIn),
            client_id=self.client_id,
            instrument=instrument,
            session_id=session_id,
            link_id=link.pk,
            goal_texts={},
            sent_by_id=self.therapist_id,
            sent_at=link.created_at,
            expires_at=link.expires_at,
        )
        self.writer.add(checkin)
        self.summary.checkins += 1
        return checkin

    def _session(self, starts_at: datetime, status: str) -> TherapySession:
        session = TherapySession(
            pk=self.numbers.take(TherapySession),
            client_id=self.client_id,
            therapist_id=self.therapist_id,
            starts_at=starts_at,
            status=status,
            cancelled_by=CancelledBy.CLIENT if status == SessionStatus.CANCELLED else "",
            held_at=starts_at + timedelta(minutes=50) if status == SessionStatus.HELD else None,
            created_at=starts_at - timedelta(days=7),
            updated_at=starts_at + timedelta(hours=1),
        )
        self.writer.add(session)
        self.summary.sessions += 1
        return session

    def sessions_and_checkins(self, count, *, start, open_rupture, waiting, expired_share):
        rng, now = self.rng, self.now
        # The last session is a few days ago (a week for a client with a check-in waiting).
        end = now - timedelta(days=rng.uniform(1.5, 6) if waiting else rng.uniform(7, 20))
        step = (end - start) / max(count - 1, 1)
        last_answered: Response | None = None
        for number in range(count):
            starts_at = start + step * number + timedelta(minutes=rng.randrange(-240, 240))
            if rng.random() < 0.08:  # a session that did not happen, no check-in
                status = SessionStatus.CANCELLED if rng.random() < 0.6 else SessionStatus.NO_SHOW
                self._session(starts_at, status)
            session = self._session(starts_at, SessionStatus.HELD)
            assert session.held_at is not None  # held, so it has its time
            sent_at = session.held_at + timedelta(minutes=5)
            is_last = number == count - 1
            unanswered = (is_last and waiting) or (not is_last and rng.random() < expired_share)
            if unanswered:
                checkin = self._checkin(self._link(sent_at, None), self.instrument, session.pk)
                if checkin.expires_at > now:
                    self.summary.waiting += 1
                else:  # closed by the expiry task an hour after it expired
                    checkin.expiry_handled_at = checkin.expires_at + timedelta(hours=1)
                    self.summary.expired += 1
                continue
            submitted_at = sent_at + timedelta(hours=rng.expovariate(1 / 20))
            submitted_at = min(submitted_at, sent_at + timedelta(days=LINK_DAYS - 1), now)
            checkin = self._checkin(self._link(sent_at, submitted_at), self.instrument, session.pk)
            self.level = min(10.0, max(2.0, self.level + rng.gauss(0, 0.15)))
            low_now = open_rupture and number >= count - 2
            level = rng.uniform(2.5, 5) if low_now else self.level + rng.gauss(0, 0.7)
            last_answered = self._response(checkin, self.pool.pick(rng, level), submitted_at)
        if last_answered is not None:
            self._signals(last_answered, keep_open=open_rupture)

    def _response(self, checkin: CheckIn, answers: _Answers, submitted_at) -> Response:
        response = Response(
            pk=self.numbers.take(Response),
            checkin_id=checkin.pk,
            client_id=self.client_id,
            instrument=checkin.instrument,
            answers=Value(answers.ciphertext) if answers.ciphertext else answers.values,
            submitted_at=submitted_at,
            **answers.scored,
        )
        self.writer.add(response)
        self.summary.answered += 1
        if answers.total is not None and answers.total < SIGNAL_RULES.session_total_below:
            self.pending_low.append((response, answers.total))
        return response

    def _signals(self, last: Response, *, keep_open: bool) -> None:
        """Raise a signal for each low session check-in; only the latest stays open."""
        for response, total in self.pending_low:
            still_open = keep_open and response is last
            signal = Signal(
                pk=self.numbers.take(Signal),
                client_id=self.client_id,
                response_id=response.pk,
                kind=SignalKind.RUPTURE,
                rule=signals_rules.LOW_SESSION_TOTAL,
                summary=(
                    summary := f"The session check-in was {total:g} out of 10, below "
                    f"{SIGNAL_RULES.session_total_below:g}."
                ),
                reasons=[{"rule": signals_rules.LOW_SESSION_TOTAL, "summary": summary}],
                facts={
                    signals_rules.LOW_SESSION_TOTAL: {
                        "total": total,
                        "threshold": SIGNAL_RULES.session_total_below,
                    }
                },
                raised_at=response.submitted_at,
            )
            if still_open:
                signal.state = SignalState.OPEN
                self.summary.signals_open_rupture += 1
                if self.rng.random() < 0.3:  # seen, and a repair log opened from it
                    signal.state = SignalState.ACKNOWLEDGED
                    signal.acknowledged_at = response.submitted_at + timedelta(hours=20)
                    signal.acknowledged_by_id = self.therapist_id
                    self.writer.add(signal)
                    self._repair(signal, response)
                    continue
            else:
                closed_at = min(self.now, response.submitted_at + timedelta(days=3))
                signal.state = SignalState.RESOLVED
                signal.acknowledged_at = closed_at
                signal.acknowledged_by_id = signal.closed_by_id = self.therapist_id
                signal.closed_at = closed_at
                self.summary.signals_closed += 1
            self.writer.add(signal)
        self.pending_low = []

    def _repair(self, signal: Signal, response: Response) -> None:
        opened_at = min(self.now, response.submitted_at + timedelta(days=1))
        log = RepairLog(
            pk=self.numbers.take(RepairLog),
            client_id=self.client_id,
            therapist_id=self.therapist_id,
            signal_id=signal.pk,
            rupture_at=response.submitted_at,
            what_happened=self.rng.choice(REPAIR_WORDS),
            follow_up_on=timezone.localdate(self.now) - timedelta(days=self.rng.randrange(0, 3)),
            opened_at=opened_at,
            updated_at=opened_at,
        )
        self.writer.add(log)
        self.summary.repairs += 1
        self.summary.repairs_due += 1

    def safety_checkin(self, phq9, safety_answers) -> None:
        """A PHQ-9 answered in the past days with the safety item raised: an open safety signal."""
        values, result = safety_answers
        sent_at = self.now - timedelta(days=self.rng.uniform(0.5, 5))
        submitted_at = sent_at + timedelta(hours=self.rng.uniform(1, 10))
        checkin = self._checkin(self._link(sent_at, min(submitted_at, self.now)), phq9, None)
        response = Response(
            pk=self.numbers.take(Response),
            checkin_id=checkin.pk,
            client_id=self.client_id,
            instrument=phq9,
            answers=values,
            submitted_at=min(submitted_at, self.now),
            **Response.scored_fields(result),
        )
        self.writer.add(response)
        self.summary.answered += 1
        self.writer.add(
            Signal(
                pk=self.numbers.take(Signal),
                client_id=self.client_id,
                response_id=response.pk,
                kind=SignalKind.SAFETY,
                rule=signals_rules.SAFETY_ITEM,
                summary="A safety question was answered above its lowest option.",
                reasons=[
                    {
                        "rule": signals_rules.SAFETY_ITEM,
                        "summary": "A safety question was answered above its lowest option.",
                    }
                ],
                facts={
                    signals_rules.SAFETY_ITEM: {
                        "instrument": "phq9",
                        "items": list(result.safety_items),
                    }
                },
                raised_at=response.submitted_at,
            )
        )
        self.summary.signals_open_safety += 1

    def plan(self, today) -> None:
        """The client's current plan; reviews fall due over the coming half year."""
        goals = [goal.as_dict() for goal in self.rng.choice(PLANS)]
        review_on = today + timedelta(days=self.rng.randrange(-10, 180))
        self.writer.add(
            TreatmentPlan(
                pk=self.numbers.take(TreatmentPlan),
                client_id=self.client_id,
                version=1,
                goals=goals,
                review_on=review_on,
                written_by_id=self.therapist_id,
                created_at=self.now - timedelta(days=self.rng.uniform(30, 300)),
            )
        )
        self.summary.plans += 1
        self.summary.plans_due += review_on <= today


def _sessions_today(rng, numbers, writer, summary, clients, now) -> None:
    """Three to five sessions today for each therapist, with clients of their caseload."""
    today = timezone.localdate(now)
    by_therapist: dict[int, list[int]] = {}
    for client_id, therapist_id in clients:
        by_therapist.setdefault(therapist_id, []).append(client_id)
    for therapist_id in StaffUser.objects.filter(role=Role.THERAPIST).values_list("pk", flat=True):
        caseload = by_therapist.get(therapist_id, [])
        count = min(len(caseload), rng.choice((3, 4, 4, 5)))
        for slot, client_id in zip(TODAY_SLOTS, rng.sample(caseload, count), strict=False):
            starts_at = timezone.make_aware(datetime.combine(today, slot))
            writer.add(
                TherapySession(
                    pk=numbers.take(TherapySession),
                    client_id=client_id,
                    therapist_id=therapist_id,
                    starts_at=starts_at,
                    status=SessionStatus.SCHEDULED,
                    created_at=now - timedelta(days=7),
                    updated_at=now - timedelta(days=7),
                )
            )
            summary.sessions += 1
            summary.sessions_today += 1


def _reset_sequences() -> None:
    """Move the databases' id sequences past the numbers given here (PostgreSQL needs it)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(HISTORY_MODELS))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _encryption_estimate(summary: LoadSummary, reused: bool) -> float:
    """Return the seconds the answers' encryption took (reused: only the pool's tokens)."""
    if reused:
        return 0.0
    field = Response._meta.get_field("answers")
    sample = dict.fromkeys(session_checkin_ratings(), 7)
    started = time.perf_counter()
    for _ in range(2000):
        field.get_prep_value(sample)
    return round((time.perf_counter() - started) / 2000 * summary.answered, 1)
