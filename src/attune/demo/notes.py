"""Demo session notes, with a planted difference in documentation language.

Invented words only.  Most held sessions of the demo clients get a short note, drawn from a
few neutral notes and a few that use stigmatizing wording ("claims", "refused",
"non-compliant", "agitated").  Notes about clients who self-identified as Black draw the
stigmatizing ones about three times as often, so the equity dashboard's "Stigmatizing language
in session notes" shows the kind of gap Sun et al. (2022) found, on synthetic data.

The demo agency has no sessions of its own, so each client of a therapist gets a few held
sessions here to carry the notes (on the day of referral: the demo's clients are all referred
the day it is made).  The counts are computed once per text by the language engine, exactly as
saving a note does, and everything is bulk-created.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from attune.care.models import InterpreterUse, SessionNote, SessionStatus, TherapySession
from attune.care.services.notes import note_counts
from attune.clients.models import Client, IdentityCategory, InterpreterNeed

SEED = 20220201
NOTE_SHARE = 0.7  # of held sessions with a note
SESSIONS_PER_CLIENT = (1, 6)  # held sessions made for a client without any
PLANTED_GROUP = ("race_ethnicity", "black")
FLAGGED_SHARE = {True: 0.45, False: 0.15}  # in the planted group, elsewhere

NEUTRAL = (
    "Client described a difficult week at work and said sleep has improved since the last "
    "session. We reviewed the goals in the plan; client chose to keep the focus on sleep and "
    "family conversations. Agreed to try the evening routine again and to talk next week.",
    "Session held in Spanish with an interpreter. Client spoke about missing family abroad and "
    "about the church community that helps. Client reports the breathing practice is useful "
    "before meetings. We planned the next step together.",
    "Client arrived ten minutes late because the bus was delayed. We talked about the worry "
    "that comes at night and what has helped before. Client declined the referral for now and "
    "would like to revisit it in a month.",
    "Client shared that the conversation with their sister went better than expected. We "
    "looked at what made it possible. Client asked for fewer worksheets; we agreed to talk "
    "through the exercises in session instead.",
)
FLAGGED = (
    "Client claims the medication does not help and refused the referral again. Client was "
    "agitated when the plan was discussed. Reviewed safety; no concerns today.",
    "Client remains non-compliant with the homework and insists that work is the only "
    "problem. Poor historian about the last month. Will continue weekly sessions.",
    "Client was defensive and uncooperative when asked about drinking. Client denies any "
    "problem. Encouraged attendance at the group; client refused.",
)


@transaction.atomic
def seed_notes(*, seed: int = SEED) -> int:
    """Write one note for most held sessions of the demo clients; return how many."""
    if SessionNote.objects.exists():
        return 0
    rng = random.Random(seed)
    counts = {text: note_counts(text) for text in (*NEUTRAL, *FLAGGED)}
    question, code = PLANTED_GROUP
    planted = set(
        IdentityCategory.objects.filter(question=question, code=code).values_list(
            "self_identification_id", flat=True
        )
    )
    _hold_sessions(rng)
    notes = []
    sessions = (
        TherapySession.objects.filter(status=SessionStatus.HELD)
        .select_related("client")
        .order_by("pk")
    )
    for session in sessions.iterator(chunk_size=2000):
        if rng.random() >= NOTE_SHARE:
            continue
        in_group = session.client.latest_identity_id in planted
        pool = FLAGGED if rng.random() < FLAGGED_SHARE[in_group] else NEUTRAL
        text = rng.choice(pool)
        notes.append(
            SessionNote(
                session=session,
                client_id=session.client_id,
                version=1,
                text=text,
                word_count=counts[text].word_count,
                stigmatizing_findings=counts[text].stigmatizing_findings,
                written_by_id=session.therapist_id,
            )
        )
    SessionNote.objects.bulk_create(notes, batch_size=1000)
    return len(notes)


def _interpreter_use(client: Client, rng: random.Random) -> str:
    if client.interpreter_needed != InterpreterNeed.YES:
        return InterpreterUse.NOT_RECORDED
    return rng.choices(
        [InterpreterUse.PROFESSIONAL, InterpreterUse.FAMILY_OR_FRIEND, InterpreterUse.NONE],
        weights=[8, 1, 1],
    )[0]


def _hold_sessions(rng: random.Random) -> None:
    """Give each client of a therapist who has no session a history of weekly held sessions.

    The demo's clients are all added on the day it is seeded; each is given a referral date in
    the past year so waiting times and quarterly trends have something to show, then held
    sessions once a week from a first session a few days to six weeks after referral.
    For a client who needs an interpreter, most sessions had a professional one; some had a
    relative interpreting or none, for the supervision agendas to raise.
    """
    sessions = []
    now = timezone.now()
    # Its own generator, so the sessions and notes are those the demo had before interpreters.
    interpreters = random.Random(SEED + 1)
    clients = Client.objects.filter(therapist__isnull=False, therapy_sessions__isnull=True)
    for client in clients.order_by("pk").iterator(chunk_size=2000):
        referred = now - timedelta(days=rng.randint(60, 365), hours=rng.randint(0, 8))
        Client.objects.filter(pk=client.pk).update(created_at=referred)
        assert client.therapist_id is not None  # chosen for having one
        first = referred + timedelta(days=rng.randint(3, 42))
        for index in range(rng.randrange(*SESSIONS_PER_CLIENT)):
            when = first + timedelta(weeks=index)
            if when >= now:
                break
            sessions.append(
                TherapySession(
                    client=client,
                    therapist_id=client.therapist_id,
                    starts_at=when,
                    status=SessionStatus.HELD,
                    held_at=when,
                    interpreter=_interpreter_use(client, interpreters),
                )
            )
    TherapySession.objects.bulk_create(sessions, batch_size=1000)
