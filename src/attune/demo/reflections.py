"""A few invented journal entries for the demo: one demo therapist, one entry shared.

Written through the services, so each has its trail entry.  Everything here is fictional.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from attune.access.actor import StaffActor
from attune.access.models import Role, StaffUser
from attune.care import services
from attune.care.models import Reflection, ReflectionTag
from attune.relationships.queries import current_pairs

ENTRIES: tuple[dict[str, Any], ...] = (
    {
        "days_ago": 9,
        "with_client": True,
        "with_session": True,
        "answers": {
            "my_identities": (
                "I grew up where asking for help outside the family was normal. I heard her "
                "reluctance as avoidance before I asked what it meant to her."
            ),
            "assumed_and_learned": (
                "I assumed her aunt's opinions were pressure. She explained the aunt is the "
                "person who got her here at all."
            ),
        },
        "text": (
            "Ask at the start next time who else has a say in her care, and how she wants "
            "them included."
        ),
        "tags": [ReflectionTag.ASSUMPTION, ReflectionTag.COUNTERTRANSFERENCE],
        "shared": True,
    },
    {
        "days_ago": 4,
        "with_client": True,
        "with_session": False,
        "answers": {
            "power": (
                "The only evening slot went to someone else, so he took time off work to come. "
                "I set the time; he paid for it."
            ),
            "effect_on_client": (
                "He was formal with me throughout; my title may have weighed more than I meant."
            ),
        },
        "text": "",
        "tags": [ReflectionTag.SYSTEMIC, ReflectionTag.POWER],
        "shared": False,
    },
    {
        "days_ago": 1,
        "with_client": False,
        "with_session": False,
        "answers": {},
        "text": (
            "Noticed this week that I explain the intake form faster to clients who speak "
            "English as I do. Slow down with everyone."
        ),
        "tags": [ReflectionTag.ASSUMPTION],
        "shared": False,
    },
)


@transaction.atomic
def seed_reflections() -> int:
    """Give the first supervised demo therapist a few entries; return how many were written."""
    supervisors = StaffUser.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("id")
    pair = next((p for s in supervisors for p in current_pairs(s).order_by("id")[:1]), None)
    if pair is None:
        return 0
    author, actor = pair.supervisee, StaffActor(user=pair.supervisee, request_id="demo")
    clients = list(author.clients.filter(closed_at__isnull=True).order_by("id")[:2])
    written = 0
    for index, entry in enumerate(ENTRIES):
        client = clients[index] if entry["with_client"] and index < len(clients) else None
        session = None
        if client is not None and entry["with_session"]:
            session = services.session_schedule(
                actor=actor,
                client=client,
                starts_at=timezone.now() - timedelta(days=entry["days_ago"], hours=2),
            )
        reflection = services.reflection_write(
            actor=actor,
            answers=entry["answers"],
            text=entry["text"],
            tags=entry["tags"],
            client=client,
            session=session,
        )
        # Spread the entries over the last fortnight so the journal's date search has range.
        Reflection.objects.filter(pk=reflection.pk).update(
            created_at=timezone.now() - timedelta(days=entry["days_ago"])
        )
        if entry["shared"]:
            services.reflection_share(
                actor=actor, reflection=reflection, supervisor=pair.supervisor
            )
        written += 1
    return written
