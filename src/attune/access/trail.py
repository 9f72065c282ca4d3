"""The access trail: append an entry in the caller's transaction; verify the whole chain.

Each entry's hash covers its own fields and the previous entry's hash, so changing or removing
any entry breaks every hash after it.  Writers serialise on the single ``TrailHead`` row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from attune.access.actor import Actor
from attune.access.break_glass import flag_break_glass_use
from attune.access.models import AccessEvent, TrailHead

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "link_ref",
    "client_ref",
    "action",
    "object_type",
    "object_ref",
    "section",
    "detail",
    "flagged",
    "ip",
    "request_id",
)


def entry_digest(values: dict, prev_hash: str) -> str:
    """Return the hash of one entry's fields chained to ``prev_hash``."""
    canonical = {name: values[name] for name in HASHED_FIELDS}
    canonical["at"] = canonical["at"].isoformat(timespec="microseconds")
    payload = json.dumps(canonical, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def normalised_ip(ip: str | None) -> str | None:
    """Return ``ip`` as the database will store it, so the hash matches on reading back."""
    if ip and ":" in ip:
        return clean_ipv6_address(ip)
    return ip or None


@dataclass(frozen=True)
class Entry:
    """One trail entry still to be written (see ``record_many``)."""

    actor: Actor
    action: str
    client_id: int | None = None
    object_type: str = ""
    object_ref: object = ""
    section: str = ""
    detail: str = ""
    flagged: bool = False


def record(
    *,
    actor: Actor,
    action: str,
    client_id: int | None = None,
    object_type: str = "",
    object_ref: object = "",
    section: str = "",
    detail: str = "",
    flagged: bool = False,
) -> AccessEvent:
    """Append one entry to the trail, inside the caller's transaction when there is one."""
    entry = Entry(actor, action, client_id, object_type, object_ref, section, detail, flagged)
    return record_many([entry])[0]


def record_many(entries: list[Entry]) -> list[AccessEvent]:
    """Append ``entries`` to the trail, in order, in three statements whatever their number.

    The chain head is locked (``SELECT … FOR UPDATE``) only here, so a service that collects
    its entries and writes them as its last statement holds the one lock every trail writer
    waits for only from this call to its commit.
    """
    if not entries:
        return []
    entries = flag_break_glass_use(entries)  # reads and changes under a grant: flagged
    # No savepoint: if an entry cannot be written, the caller's whole transaction must fail.
    with transaction.atomic(savepoint=False):
        head = TrailHead.objects.select_for_update().filter(pk=1).first()
        if head is None:  # created by a migration; only an emptied test database lacks it
            head = TrailHead.objects.create(pk=1, seq=0, entry_hash=GENESIS_HASH)
        seq, prev_hash, events = head.seq, head.entry_hash, []
        at = timezone.now()
        for entry in entries:
            seq += 1
            values = {
                "seq": seq,
                "at": at,
                "actor_id": entry.actor.user.pk if entry.actor.user else None,
                "link_ref": entry.actor.link_id,
                "client_ref": entry.client_id,
                "action": entry.action,
                "object_type": entry.object_type,
                "object_ref": str(entry.object_ref),
                "section": entry.section,
                "detail": entry.detail[:300],
                "flagged": entry.flagged,
                "ip": normalised_ip(entry.actor.ip),
                "request_id": entry.actor.request_id,
            }
            digest = entry_digest(values, prev_hash)
            events.append(AccessEvent(prev_hash=prev_hash, entry_hash=digest, **values))
            prev_hash = digest
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AccessEvent.objects.bulk_create(events)
        TrailHead.objects.filter(pk=1).update(seq=seq, entry_hash=prev_hash)
        return events


@dataclass
class VerifyResult:
    """What ``verify`` found: how many entries it checked and the first problem, if any."""

    checked: int
    head_hash: str
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def verify(*, batch_size: int = 5000) -> VerifyResult:
    """Recompute every hash in order; report the first altered, missing or extra entry."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    fields = ("pk", "prev_hash", "entry_hash", *HASHED_FIELDS)
    rows = AccessEvent.objects.order_by("seq").values(*fields)
    for row in rows.iterator(chunk_size=batch_size):
        if row["seq"] != expected_seq:
            return VerifyResult(
                checked, expected_prev, f"entry #{expected_seq} is missing (next is #{row['seq']})"
            )
        if row["prev_hash"] != expected_prev:
            return VerifyResult(
                checked, expected_prev, f"entry #{row['seq']} does not follow the one before it"
            )
        if entry_digest(row, expected_prev) != row["entry_hash"]:
            return VerifyResult(checked, expected_prev, f"entry #{row['seq']} has been altered")
        expected_prev = row["entry_hash"]
        expected_seq += 1
        checked += 1
    head = TrailHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    if head_seq != checked or (head and head.entry_hash != expected_prev):
        return VerifyResult(
            checked, expected_prev, f"the trail ends at #{checked} but its head says #{head_seq}"
        )
    return VerifyResult(checked, expected_prev)
