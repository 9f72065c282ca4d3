"""Reads for the leader's agency pages: staff counts and accounts, the access trail."""

from __future__ import annotations

from django.db.models import Count

from attune.access.models import AccessEvent, StaffUser, TrailAction
from attune.clients.models import Client


def staff_counts() -> dict[str, int]:
    """Return the number of active staff per role."""
    rows = StaffUser.objects.filter(is_active=True).values("role").annotate(n=Count("id"))
    return {row["role"]: row["n"] for row in rows}


def staff_directory():
    """Return every staff account for the leader's staff page."""
    return StaffUser.objects.order_by("-is_active", "role", "display_name", "username")


def trail_entries(*, case_code: str = "", username: str = "", refused: bool = False):
    """Return trail entries, newest first, for one client (by case code) or one staff member.

    With ``refused``, only the refused accesses (``denied`` entries).  The second value says
    what was looked up, or None when the code or name matched nothing.
    """
    events = AccessEvent.objects.select_related("actor").order_by("-id")
    if refused:
        events = events.filter(action=TrailAction.DENIED)
    looked_up: str | None = "all refused accesses" if refused else "all"
    if case_code:
        client = Client.objects.filter(case_code=case_code.upper()).only("id").first()
        events = events.filter(client_ref=client.pk) if client else events.none()
        looked_up = f"client {case_code.upper()}" if client else None
    if username:
        staff = StaffUser.objects.filter(username=username).first()
        events = events.filter(actor=staff) if staff else events.none()
        looked_up = f"staff member {staff}" if staff else None
    if refused and looked_up and looked_up != "all refused accesses":
        looked_up = f"refused accesses of {looked_up}"
    return events, looked_up


def refused_by_staff() -> list[dict]:
    """Return each staff member's number of refused accesses, most first (for leaders)."""
    rows = (
        AccessEvent.objects.filter(action=TrailAction.DENIED, actor__isnull=False)
        .values("actor__username", "actor__display_name")
        .annotate(n=Count("id"))
        .order_by("-n", "actor__username")
    )
    return [
        {"username": row["actor__username"], "name": row["actor__display_name"], "n": row["n"]}
        for row in rows
    ]


def attach_case_codes(events) -> None:
    """Set ``case_code`` on each event from its client reference, in one query."""
    events = list(events)
    refs = {event.client_ref for event in events if event.client_ref}
    codes = dict(Client.objects.filter(pk__in=refs).values_list("id", "case_code"))
    for event in events:
        event.case_code = codes.get(event.client_ref, "")
