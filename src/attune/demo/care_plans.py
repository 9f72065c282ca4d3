"""Invented treatment plans, cultural adaptations and client answers for the demo agency.

Written through the services, so every version has its author and every row its trail entry.
Synthetic words only; no real person is described.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from attune.access.actor import Actor, StaffActor
from attune.access.models import Role, StaffUser
from attune.care import services
from attune.care.models import TreatmentPlan
from attune.care.services import Goal
from attune.clients.models import Client

PLANS = [
    [
        Goal(
            "Sentirme en casa en este país sin perder lo mío",
            "Cuando hable con mis vecinos sin miedo a mi acento",
            "Acculturative stress; grief for home community",
        ),
        Goal(
            "Sleep through the night most nights",
            "I wake up rested four days a week",
            "Insomnia linked to rumination",
        ),
    ],
    [
        Goal(
            "Be the mother I want to be, not the one I was told to be",
            "My kids come to me when they are upset",
            "Intergenerational parenting scripts",
        ),
        Goal("Say no at work without feeling guilty", "I leave on time twice a week", ""),
        Goal("Get back to the choir", "I sing on Sundays again", "Behavioural activation"),
    ],
    [
        Goal(
            "أن أتكلم عن الحزن مع عائلتي",
            "عندما أستطيع أن أذكر أخي على العشاء",
            "Complicated grief; family communication",
        ),
    ],
    [
        Goal(
            "Feel like myself in my own body",
            "I buy clothes I like without dreading it",
            "Gender dysphoria; minority stress",
        ),
        Goal("Find people who get me", "I have one friend I can call", "Social isolation"),
    ],
]

ADAPTATIONS = [
    (0, "language", "Sessions in Spanish; English words when the client prefers them",
     "The client thinks about family and feelings in Spanish"),
    (0, "family", "The client's aunt joins one session a month",
     "Decisions are made with the family in the client's culture"),
    (1, "spiritual", "A moment of prayer at the start when the client asks",
     "Faith is the client's main support"),
    (2, "metaphors", "Grief talked about through the family's own mourning customs",
     "Western grief stages did not fit the client's experience"),
    (3, "setting", "Video sessions from the client's car at lunch",
     "The client has no private room at home"),
    (1, "pacing", "Longer sessions every two weeks instead of weekly",
     "Childcare and shift work"),
]  # fmt: skip


def seed_care_plans(*, today: date | None = None) -> int:
    """Give some demo clients a plan (one due for review today) and adaptations; return plans."""
    if TreatmentPlan.objects.exists():
        return 0
    today = today or timezone.localdate()
    therapist = StaffUser.objects.filter(role=Role.THERAPIST, is_active=True).order_by("pk").first()
    if therapist is None:
        return 0
    clients = list(
        Client.objects.filter(therapist=therapist, closed_at__isnull=True).order_by("pk")[
            : len(PLANS)
        ]
    )
    actor = StaffActor(user=therapist, request_id="seed")
    reviews = [today, today + timedelta(days=30), today + timedelta(days=60), today - timedelta(7)]
    for client, goals, review_on in zip(clients, PLANS, reviews, strict=False):
        first = services.plan_save(
            actor=actor, client=client, based_on=None, goals=goals[:1], review_on=review_on
        )
        assert first is not None  # written by staff: always saved
        services.plan_save(
            actor=actor, client=client, based_on=first.version, goals=goals, review_on=review_on
        )
    if clients:
        issued = services.plan_link_issue(
            actor=actor, client=clients[1 % len(clients)], purpose=services.plans.PLAN_AGREEMENT
        )
        services.plan_agreement_submit(
            actor=Actor(link_id=issued.link.pk, request_id="seed"),
            link=issued.link,
            plan_version=2,
            answer="agree",
            comment="Yes. The choir matters more than I said at first.",
        )
        services.client_view_set(
            actor=actor, client=clients[0], mode="plan_and_checkins", chosen_with_client=True
        )
    for index, area, what, why in ADAPTATIONS:
        if index < len(clients):
            adaptation = services.adaptation_create(
                actor=actor,
                client=clients[index],
                area=area,
                what=what,
                why=why,
                started_on=today - timedelta(days=40 + 5 * index),
            )
            services.adaptation_feedback_record(
                actor=actor,
                adaptation=adaptation,
                fit="fits" if index % 2 == 0 else "partly",
                comment="Said it helps them feel understood.",
            )
    return len(clients)
