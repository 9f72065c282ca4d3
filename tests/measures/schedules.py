"""Builders for schedule tests: a schedule made through the real service."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from attune.access.actor import Actor
from attune.measures import services


def make_schedule(
    client, *, instrument_name: str = "phq9", weeks: int = 2, first: date | None = None, goals=()
):
    """Schedule ``instrument_name`` for ``client`` as their therapist; return the schedule."""
    return services.schedule_create(
        actor=Actor(user=client.therapist),
        client=client,
        instrument=services.bundled_instrument_stored(instrument_name),
        interval_weeks=weeks,
        first_due_on=first or timezone.localdate(),
        goal_texts=goals,
    )
