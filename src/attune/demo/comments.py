"""Demo check-ins with the client's own words, so Today shows an alert with a comment beside it.

For each of the first two therapists: one client whose usual check-ins are followed by a low one
with a comment (one open alert listing its reasons), and one whose recent good check-in carries a
comment (under "In clients' words").  Invented words only; answered through the real services.
"""

from __future__ import annotations

from django.db import transaction

from attune.access.models import Role, StaffUser
from attune.clients.models import Client
from attune.demo.repairs import _checkin
from attune.measures.models import Response

LOW_WORDS = (
    "I felt rushed and not listened to.",
    "It was hard to say what I meant, and we moved on quickly.",
)
GOOD_WORDS = (
    "The breathing exercise helped this week.",
    "Thank you for asking about my grandmother.",
)


@transaction.atomic
def seed_checkin_comments() -> int:
    """Add the demo's commented check-ins once; return how many clients got them."""
    seeded = 0
    therapists = StaffUser.objects.filter(role=Role.THERAPIST).order_by("id")[:2]
    for number, therapist in enumerate(therapists):
        # After the clients the repair demo uses (the first therapist's first two).
        clients = list(
            Client.objects.filter(therapist=therapist, closed_at__isnull=True).order_by("id")[2:4]
        )
        if len(clients) < 2 or Response.objects.filter(client__in=clients).exists():
            continue
        low, good = clients
        for days_ago, value in ((22, 8), (15, 9), (8, 8)):
            _checkin(therapist, low, value, days_ago)
        _checkin(therapist, low, 3, 1, comment=LOW_WORDS[number % len(LOW_WORDS)])
        _checkin(therapist, good, 8, 9)
        _checkin(therapist, good, 9, 2, comment=GOOD_WORDS[number % len(GOOD_WORDS)])
        seeded += 2
    return seeded
