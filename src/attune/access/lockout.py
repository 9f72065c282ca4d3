"""Sign-in lockout tiers for django-axes: every lock ends by itself, and grows with persistence.

Locks apply to a username and an address together, so a stranger elsewhere cannot lock a
colleague out; a run of failures from one place waits longer each tier, up to a ceiling.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.shortcuts import render

from attune.access import anonymous
from attune.access.actor import Actor
from attune.access.models import StaffUser, TrailAction

TIERS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))


def cooloff(request) -> timedelta:
    """Return how long a lock lasts, by how many failures this username and address have."""
    failures = getattr(request, "axes_failures_since_start", None) or 0
    tier = max(0, failures // settings.AXES_FAILURE_LIMIT - 1)
    return TIERS[min(tier, len(TIERS) - 1)]


def locked_out_response(request, credentials=None, *args, **kwargs):
    """Render the lockout page (status 429) and record it in the trail."""
    username = (credentials or {}).get("username", "") if isinstance(credentials, dict) else ""
    known = bool(username) and StaffUser.objects.filter(username=username).exists()
    anonymous.note_failure(
        actor=Actor.from_request(request),
        action=TrailAction.LOCKED_OUT,
        object_type="staff_sign_in",
        detail=f"username {username[:150]!r}",
        subject=username if known else "",
    )
    minutes = int(cooloff(request).total_seconds() // 60)
    return render(request, "access/locked_out.html", {"minutes": minutes}, status=429)
