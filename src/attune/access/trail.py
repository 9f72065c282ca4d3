"""The access trail: append an entry in the caller's transaction; seal it into the chain; verify.

Writers never wait for one another.  ``record`` appends entries with their own content hash (one
INSERT, no lock), in the caller's transaction.  ``seal`` (run by ``attune trail seal --follow``
beside the task worker, every few seconds) takes the entries not yet sealed, in the order they
became visible, gives each the next sequence number and chains it: its ``entry_hash`` covers its
fields, its number and the previous entry's hash, so changing or removing any sealed entry breaks
every hash after it.  Only the sealer takes the single ``TrailHead`` row's lock.

``verify`` checks the sealed chain and every entry still waiting for its seal (by its own hash),
so nothing written is ever outside the check; an entry appended just before a crash is sealed
by the next run of the sealer.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from attune.access.actor import Actor
from attune.access.break_glass import flag_break_glass_use
from attune.access.models import AccessEvent, TrailHead

logger = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
# The sealer chains at most this many entries per transaction, so its lock is short.
SEAL_BATCH = 2000
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


CONTENT_FIELDS = tuple(name for name in HASHED_FIELDS if name != "seq")


def content_digest(values: dict) -> str:
    """Return an entry's own hash: its fields without its place in the chain."""
    canonical = {name: values[name] for name in CONTENT_FIELDS}
    canonical["at"] = canonical["at"].isoformat(timespec="microseconds")
    payload = json.dumps(canonical, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
    """Append ``entries`` to the trail in one statement, with no lock; ``seal`` chains them later.

    No savepoint: if an entry cannot be written, the caller's whole transaction must fail, and
    an entry whose transaction rolls back was never there.
    """
    if not entries:
        return []
    entries = flag_break_glass_use(entries)  # reads and changes under a grant: flagged
    at = timezone.now()
    events = []
    for entry in entries:
        values = {
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
        events.append(AccessEvent(content_hash=content_digest(values), **values))
    with transaction.atomic(savepoint=False):
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AccessEvent.objects.bulk_create(events)
    return events


def _write_seals(chained: list[AccessEvent]) -> None:
    """Give each entry its number and hashes: one prepared UPDATE run for the whole batch.

    (``bulk_update`` builds one CASE expression per field over the whole batch, which costs
    PostgreSQL more to plan than the rows cost to write.)
    """
    table = connection.ops.quote_name(AccessEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET seq = %s, prev_hash = %s, entry_hash = %s WHERE id = %s",  # noqa: S608 - the table's own name
            [(event.seq, event.prev_hash, event.entry_hash, event.pk) for event in chained],
        )


class UnsealableEntry(Exception):
    """An entry waiting for its seal no longer matches its own hash: it was changed."""


def seal(*, batch_size: int = SEAL_BATCH) -> int:
    """Chain every entry appended but not yet sealed; return how many were sealed.

    Each batch is one transaction holding the head's lock: concurrent sealers (one beside each
    worker) wait for each other and never seal an entry twice.  An entry whose own hash no longer
    matches is not sealed: ``UnsealableEntry`` is raised and the chain stops before it, so
    ``verify`` reports it.
    """
    sealed = 0
    fields = ("pk", "content_hash", *CONTENT_FIELDS)
    while True:
        with transaction.atomic():
            head = TrailHead.objects.select_for_update().filter(pk=1).first()
            if head is None:  # created by a migration; only an emptied test database lacks it
                TrailHead.objects.bulk_create(  # two sealers may both find it missing
                    [TrailHead(pk=1, seq=0, entry_hash=GENESIS_HASH)], ignore_conflicts=True
                )
                head = TrailHead.objects.select_for_update().get(pk=1)
            pending = list(
                AccessEvent.objects.filter(seq__isnull=True)
                .order_by("pk")
                .values(*fields)[:batch_size]
            )
            if not pending:
                return sealed
            seq, prev_hash, chained = head.seq, head.entry_hash, []
            for row in pending:
                if content_digest(row) != row["content_hash"]:
                    raise UnsealableEntry(
                        f"the entry with id {row['pk']} changed while it waited for its seal"
                    )
                seq += 1
                digest = entry_digest({**row, "seq": seq}, prev_hash)
                chained.append(
                    AccessEvent(pk=row["pk"], seq=seq, prev_hash=prev_hash, entry_hash=digest)
                )
                prev_hash = digest
            _write_seals(chained)
            TrailHead.objects.filter(pk=1).update(seq=seq, entry_hash=prev_hash)
            sealed += len(chained)
        if len(pending) < batch_size:
            return sealed


@dataclass
class VerifyResult:
    """What ``verify`` found: how many entries it checked and the first problem, if any."""

    checked: int
    head_hash: str
    problem: str = ""
    pending: int = 0  # entries appended and intact but not yet sealed into the chain

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def sealed(self) -> int:
        return self.checked - self.pending


def verify(*, batch_size: int = 5000) -> VerifyResult:
    """Recompute every hash; report the first altered, missing or extra entry.

    The sealed chain is checked in order, then every entry still waiting for its seal against
    its own hash.  ``checked`` counts both.
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    fields = ("pk", "prev_hash", "entry_hash", *HASHED_FIELDS)
    rows = AccessEvent.objects.filter(seq__isnull=False).order_by("seq").values(*fields)
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
    pending = 0
    waiting = AccessEvent.objects.filter(seq__isnull=True).order_by("pk")
    for row in waiting.values("pk", "content_hash", *CONTENT_FIELDS).iterator(
        chunk_size=batch_size
    ):
        if content_digest(row) != row["content_hash"]:
            return VerifyResult(
                checked + pending,
                expected_prev,
                f"the entry with id {row['pk']}, not yet sealed, has been altered",
                pending,
            )
        pending += 1
    return VerifyResult(checked + pending, expected_prev, pending=pending)
