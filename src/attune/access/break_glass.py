"""Every trail entry written while a break-glass grant is the reason for access is flagged.

The grant itself was always flagged; now so is each read and change of that client's record
that the staff member makes while the grant lasts, so a reviewer sees everything the emergency
was used for, not only that it was opened.  The client's own therapist is not flagged: their
access never depends on a grant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from django.utils import timezone

from attune.access.models import BreakGlassGrant

MARK = "under break-glass"


def flag_break_glass_use(entries: Sequence) -> list:
    """Return ``entries`` (trail ``Entry`` values) with those made under a grant flagged.

    One query per staff member in the batch, and none for entries without a staff member or a
    client (a client's link, the system, the sign-in page).
    """
    entries = list(entries)
    wanted: dict[int, set[int]] = {}
    for entry in entries:
        if entry.actor.user is not None and entry.client_id and not entry.flagged:
            wanted.setdefault(entry.actor.user.pk, set()).add(entry.client_id)
    if not wanted:
        return entries
    now = timezone.now()
    granted: set[tuple[int, int]] = set()
    for staff_id, client_ids in wanted.items():
        clients = (
            BreakGlassGrant.objects.filter(
                staff_id=staff_id, client_id__in=client_ids, expires_at__gt=now
            )
            .exclude(client__therapist_id=staff_id)
            .values_list("client_id", flat=True)
        )
        granted.update((staff_id, client_id) for client_id in clients)
    return [
        dataclasses.replace(
            entry, flagged=True, detail=f"{MARK}; {entry.detail}" if entry.detail else MARK
        )
        if entry.actor.user is not None
        and not entry.flagged
        and (entry.actor.user.pk, entry.client_id) in granted
        else entry
        for entry in entries
    ]
