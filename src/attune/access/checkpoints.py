"""Signed trail checkpoints: the chain's head, as a line the operator keeps away from the database.

A checkpoint says "on this date the trail's entry #N had this hash", signed with HMAC-SHA256
under ``ATTUNE_TRAIL_CHECKPOINT_KEY``, a key that is not in the database.  Someone who can
rewrite the database (even drop its triggers) can recompute the unkeyed chain, but cannot make
the rewritten chain pass through every hash the operator kept, nor sign a checkpoint of their own.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from attune.access import trail
from attune.access.anonymous import flush
from attune.access.models import AccessEvent, TrailHead

PREFIX = "attune-trail-checkpoint v1"
LINE = re.compile(
    rf"^{PREFIX} seq=(?P<seq>\d+) hash=(?P<hash>[0-9a-f]{{64}}) "
    r"at=(?P<at>\S+) sig=(?P<sig>[0-9a-f]{64})$"
)


class CheckpointError(Exception):
    """A checkpoint cannot be made or read (no key, unreadable line); the message says why."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    entry_hash: str
    at: str

    @property
    def body(self) -> str:
        return f"{PREFIX} seq={self.seq} hash={self.entry_hash} at={self.at}"

    def line(self, key: str) -> str:
        return f"{self.body} sig={_sign(key, self.body)}"


def _key() -> str:
    key = settings.ATTUNE_TRAIL_CHECKPOINT_KEY
    if not key:
        raise CheckpointError(
            "ATTUNE_TRAIL_CHECKPOINT_KEY is not set; set it (or ATTUNE_TRAIL_CHECKPOINT_KEY_FILE)"
        )
    return key


def _sign(key: str, body: str) -> str:
    return hmac.new(key.encode("utf-8"), body.encode("utf-8"), hashlib.sha256).hexdigest()


def make(now: datetime | None = None) -> str:
    """Return the signed checkpoint line of the trail's current head.

    The counts of anonymous failures from closed hours are written to the trail first
    (``attune.access.anonymous``), and every entry waiting for its seal is sealed, so the
    checkpoint covers them.
    """
    key = _key()
    flush()
    trail.seal()  # the checkpoint covers every entry written before it
    head = TrailHead.objects.filter(pk=1).first()
    seq, entry_hash = (head.seq, head.entry_hash) if head else (0, trail.GENESIS_HASH)
    at = (now or timezone.now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Checkpoint(seq, entry_hash, at).line(key)


def parse(text: str) -> list[Checkpoint]:
    """Return the checkpoints in ``text`` (one per line; blank lines and ``#`` comments skipped).

    Raise ``CheckpointError`` for a line that is not a checkpoint or whose signature is wrong.
    """
    key = _key()
    found = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = LINE.match(line)
        if match is None:
            raise CheckpointError(f"line {number} is not a trail checkpoint")
        point = Checkpoint(int(match["seq"]), match["hash"], match["at"])
        if not hmac.compare_digest(_sign(key, point.body), match["sig"]):
            raise CheckpointError(f"the checkpoint on line {number} has a wrong signature")
        found.append(point)
    if not found:
        raise CheckpointError("the file holds no trail checkpoint")
    return found


def unmatched(points: list[Checkpoint]) -> str:
    """Return what is wrong when the trail does not pass through every checkpoint ('' if it does).

    Call it after ``trail.verify`` passed: the chain is then whole up to its head, so an entry
    carrying a kept hash proves every entry before it is as it was when the checkpoint was made.
    """
    seqs = {point.seq for point in points if point.seq}
    hashes = dict(AccessEvent.objects.filter(seq__in=seqs).values_list("seq", "entry_hash"))
    for point in sorted(points, key=lambda p: p.seq):
        if point.seq == 0:
            continue
        if point.seq not in hashes:
            return f"entry #{point.seq} of the checkpoint made {point.at} is gone"
        if hashes[point.seq] != point.entry_hash:
            return f"entry #{point.seq} differs from the checkpoint made {point.at}"
    return ""
