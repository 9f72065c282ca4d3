"""Builders for repair-log tests: check-ins answered through the real services, logs opened."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from attune.access.actor import Actor
from attune.care import services
from tests.measures.checkins import answered_checkin


def therapist_of(client) -> Actor:
    return Actor(user=client.therapist)


def history(client, *values: int) -> list:
    """Answer one session check-in per value, oldest first; return each session response."""
    return [answered_checkin(client, value)[0] for value in values]


def rupture_signal(client, *, usual: int = 8, low: int = 3):
    """Three usual check-ins, then a low one; return the low one's one rupture alert."""
    history(client, usual, usual, usual)
    (response,) = history(client, low)
    return response.signals.get(kind="rupture")


def open_log(client, *, signal=None, follow_up_in: int = 7, **texts):
    """Open a repair log for ``client`` as their therapist; return it."""
    fields = {"what_happened": "I assumed what the holiday meant to them without asking."}
    fields.update(texts)
    return services.repair_open(
        actor=therapist_of(client),
        client=client,
        signal=signal,
        follow_up_on=timezone.localdate() + timedelta(days=follow_up_in),
        **fields,
    )
