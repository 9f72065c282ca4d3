"""The synthetic agency: the demo's data and, at any size, the benchmarks' data.

Deterministic for a given seed.  Everyone in it is invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from attune.access.models import Role, StaffUser
from attune.clients.models import (
    Client,
    ContactConsent,
    IdentityCategory,
    InterpreterNeed,
    Question,
    SelfIdentification,
)
from attune.clients.services import category_rows
from attune.clients.vocabulary import ACCESSIBILITY, FEE_TIERS
from attune.demo.names import (
    ANYTHING_ELSE,
    FAMILY_NAMES,
    GENDER_WORDS,
    GIVEN_NAMES,
    LANGUAGES,
    ORIENTATION_WORDS,
    PRONOUNS,
    RACE_WORDS,
    RELIGION_WORDS,
    STAFF_NAMES,
)
from attune.relationships.models import SupervisionPair

DEMO_PASSWORD = "attune-demo-2026"  # noqa: S105 - a published password for synthetic accounts
CASE_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
BATCH = 2000


@dataclass
class AgencySummary:
    therapists: int
    supervisors: int
    leaders: int
    clients: int

    def describe(self) -> str:
        return (
            f"Synthetic agency: {self.clients} clients, {self.therapists} therapists, "
            f"{self.supervisors} supervisors, {self.leaders} leader."
        )


def is_seeded() -> bool:
    """Return whether the database already holds staff accounts."""
    return StaffUser.objects.exists()


def _staff_name(index: int) -> tuple[str, str]:
    base, pronouns = STAFF_NAMES[index % len(STAFF_NAMES)]
    return (
        base if index < len(STAFF_NAMES) else f"{base} {index // len(STAFF_NAMES) + 1}",
        pronouns,
    )


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


def _client_fields(rng: random.Random, index: int) -> dict:
    given = rng.choice(GIVEN_NAMES)
    family = rng.choice(FAMILY_NAMES)
    chosen = given
    legal = f"{rng.choice(GIVEN_NAMES)} {family}".strip() if rng.random() < 0.3 else ""
    language, _weight, interpreter_share = rng.choices(
        LANGUAGES, weights=[row[1] for row in LANGUAGES]
    )[0]
    if language == "en":
        interpreter = InterpreterNeed.NO if rng.random() < 0.8 else InterpreterNeed.NOT_ASKED
    else:
        roll = rng.random()
        interpreter = (
            InterpreterNeed.YES
            if roll < interpreter_share
            else InterpreterNeed.NOT_SURE
            if roll < interpreter_share + 0.1
            else InterpreterNeed.NO
        )
    consent = rng.choice(list(ContactConsent))
    return {
        "case_code": "".join(rng.choice(CASE_CODE_ALPHABET) for _ in range(7)),
        "chosen_name": chosen,
        "pronouns": _weighted(rng, PRONOUNS),
        "legal_name": legal,
        "email": f"client{index}@example.org" if consent in {"email", "both"} else "",
        "phone": f"+1 555 01{index % 100:02d}" if consent in {"sms", "both"} else "",
        "contact_consent": consent,
        "preferred_language": language,
        "interpreter_needed": interpreter,
    }


def _reload(rows: list[StaffUser]) -> list[StaffUser]:
    return list(StaffUser.objects.filter(username__in=[r.username for r in rows]).order_by("id"))


@transaction.atomic
def generate_agency(
    *,
    clients: int = 150,
    therapists: int = 8,
    supervisors: int = 2,
    seed: int = 2026,
    identities: bool = True,
) -> AgencySummary:
    """Create a synthetic agency: staff, supervision pairs and clients."""
    rng = random.Random(seed)
    password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
    offset = StaffUser.objects.count()

    def staff(role: str, username: str, index: int) -> StaffUser:
        name, pronouns = _staff_name(offset + index)
        return StaffUser(
            username=username, role=role, display_name=name, pronouns=pronouns, password=password
        )

    suffix = "" if offset == 0 else f"-{offset}"
    therapist_rows = [
        staff(Role.THERAPIST, f"therapist{n + 1}{suffix}", n) for n in range(therapists)
    ]
    supervisor_rows = [
        staff(Role.SUPERVISOR, f"supervisor{n + 1}{suffix}", therapists + n)
        for n in range(supervisors)
    ]
    leader = staff(Role.LEADER, f"leader{suffix}", therapists + supervisors)
    StaffUser.objects.bulk_create([*therapist_rows, *supervisor_rows, leader], batch_size=BATCH)
    # bulk_create does not return primary keys on every database; read the rows back.
    therapist_rows = _reload(therapist_rows)
    supervisor_rows = _reload(supervisor_rows)
    if supervisor_rows:
        start = date(2026, 1, 5)
        SupervisionPair.objects.bulk_create(
            [
                SupervisionPair(
                    supervisor=supervisor_rows[n % len(supervisor_rows)],
                    supervisee=therapist,
                    starts_on=start + timedelta(days=n % 30),
                )
                for n, therapist in enumerate(therapist_rows)
            ],
            batch_size=BATCH,
        )
    taken = set(Client.objects.values_list("case_code", flat=True))
    batch: list[Client] = []
    for index in range(clients):
        fields = _client_fields(rng, index)
        code = fields.pop("case_code")
        while code in taken:
            code = "".join(rng.choice(CASE_CODE_ALPHABET) for _ in range(7))
        taken.add(code)
        therapist = therapist_rows[index % len(therapist_rows)] if therapist_rows else None
        batch.append(Client(case_code=f"{code[:3]}-{code[3:]}", therapist=therapist, **fields))
        if len(batch) >= BATCH:
            Client.objects.bulk_create(batch)
            batch = []
    Client.objects.bulk_create(batch)
    if identities:
        _describe_clients(rng, Client.objects.filter(latest_identity__isnull=True))
    return AgencySummary(len(therapist_rows), len(supervisor_rows), 1, clients)


def _identity_answers(rng: random.Random, client: Client) -> tuple[dict, list[str]]:
    """Return invented answers: varied, multi-valued, sometimes declined, sometimes not asked."""
    answers: dict = {Question.CHOSEN_NAME: client.chosen_name}
    declined: list[str] = []

    def ask(question: str, make, *, decline: float = 0.08, skip: float = 0.1) -> None:
        roll = rng.random()
        if roll < decline:
            declined.append(question)
        elif roll >= decline + skip:
            answers[question] = make()

    if client.pronouns:
        answers[Question.PRONOUNS] = client.pronouns

    def described(pairs) -> dict:
        words, categories = rng.choice(pairs)
        return {"words": words, "categories": list(categories)}

    ask(Question.GENDER, lambda: described(GENDER_WORDS))
    ask(Question.ORIENTATION, lambda: described(ORIENTATION_WORDS), decline=0.2)
    ask(Question.RACE_ETHNICITY, lambda: described(RACE_WORDS), decline=0.12)
    others = [tag for tag, _weight, _share in LANGUAGES if tag != client.preferred_language]
    answers[Question.LANGUAGES] = [
        client.preferred_language,
        *rng.sample(others, rng.choice([0, 0, 1, 2])),
    ]
    if client.interpreter_needed:
        answers[Question.INTERPRETER] = {
            "need": client.interpreter_needed,
            "language": client.preferred_language if client.interpreter_needed == "yes" else "",
        }
    if rng.random() < 0.3:
        needs = rng.sample([option.code for option in ACCESSIBILITY], rng.choice([1, 1, 2]))
        answers[Question.ACCESSIBILITY] = {"needs": needs, "words": ""}
    ask(Question.RELIGION, lambda: rng.choice(RELIGION_WORDS), decline=0.15, skip=0.25)
    ask(Question.FEE_TIER, lambda: rng.choice(FEE_TIERS).code, decline=0.05, skip=0.2)
    note = rng.choice(ANYTHING_ELSE)
    if note:
        answers[Question.ANYTHING_ELSE] = note
    return answers, declined


def _describe_clients(rng: random.Random, clients) -> None:
    """Give each client a first self-identification, written with their therapist."""
    while chunk := list(clients.order_by("id")[:BATCH]):
        identities = []
        for client in chunk:
            answers, declined = _identity_answers(rng, client)
            identities.append(
                SelfIdentification(
                    client=client,
                    version=1,
                    answers=answers,
                    declined=sorted(declined),
                    written_by=client.therapist,
                )
            )
        SelfIdentification.objects.bulk_create(identities)
        IdentityCategory.objects.bulk_create(
            [
                IdentityCategory(self_identification=identity, question=question, code=code)
                for identity in identities
                for question, code in dict.fromkeys(category_rows(identity.answers))
            ]
        )
        for client, identity in zip(chunk, identities, strict=True):
            client.latest_identity = identity
            client.access_needs = identity.answers.get(Question.ACCESSIBILITY, {}).get("needs", [])
        Client.objects.bulk_update(chunk, ["latest_identity", "access_needs"])


def demo_logins(url: str) -> str:
    """Return the block of text that tells a newcomer how to sign in to the demo."""
    active = StaffUser.objects.filter(is_active=True).order_by("id")
    supervisor = active.filter(role=Role.SUPERVISOR).first()
    leader = active.filter(role=Role.LEADER).first()
    therapists = active.filter(role=Role.THERAPIST)[:2]
    lines = [
        "",
        f"Attune demo: open {url}",
        f"Every demo account's password is: {DEMO_PASSWORD}",
        "",
    ]
    for user in [*therapists, supervisor, leader]:
        if user is not None:
            lines.append(f"  {user.username:<16} {user.get_role_display():<14} {user}")
    lines.append("")
    lines.append("All people and records in the demo are invented.")
    return "\n".join(lines)
