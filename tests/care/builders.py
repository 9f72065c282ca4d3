"""Builders for plan and adaptation tests, through the real services."""

from __future__ import annotations

from datetime import date

from attune.access.actor import Actor
from attune.care import services
from attune.care.services import Goal


def make_plan(client, *goals: str, review_on: date | None = date(2026, 12, 1), framing=""):
    """Write a plan for ``client`` as their therapist, from the current version."""
    from attune.care.queries.plans import current_plan

    current = current_plan(client)
    return services.plan_save(
        actor=Actor(user=client.therapist),
        client=client,
        based_on=current.version if current else None,
        goals=[Goal(words, f"signs of {words}", framing) for words in goals or ("Sleep better",)],
        review_on=review_on,
    )


def make_adaptation(client, *, area: str = "language", what: str = "Sessions in Spanish"):
    return services.adaptation_create(
        actor=Actor(user=client.therapist),
        client=client,
        area=area,
        what=what,
        why="The client thinks about family in Spanish",
        started_on=date(2026, 3, 1),
    )
