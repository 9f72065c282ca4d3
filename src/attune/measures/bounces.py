"""Email bounces: a return path that names the check-in's delivery, and reading what comes back.

With ``ATTUNE_EMAIL_BOUNCE_ADDRESS`` set (``bounces@mail.example.org``), each email of a
check-in leaves with its own envelope sender (VERP): ``bounces+<delivery-id>-<signature>@domain``
(the header ``From`` stays the agency's).  A mail server that cannot deliver it sends its
report (a DSN, RFC 3464: ``multipart/report; report-type=delivery-status``) to that address;
the agency's mail system files those in a maildir or an mbox, and
``attune email bounces --maildir DIR`` (or ``--mbox FILE``) reads them: each failed recipient's
status (``5.1.1``) and diagnostic are recorded on the check-in's delivery as "not delivered".

The signature (an HMAC of the id under ``SECRET_KEY``) keeps a forged or mistyped address from
marking another delivery; reports for unknown or unsigned addresses, "delayed" reports and mail
that is not a report are counted and skipped.  Nothing here logs an address.
"""

from __future__ import annotations

import mailbox
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction
from attune.measures.models import DELIVERY_RANK, DeliveryState, MessageDelivery

SALT = "attune.measures.bounces"
VERP = re.compile(r"\+(?P<id>\d{1,12})-(?P<sig>[0-9a-f]{16})@", re.IGNORECASE)
ADDRESS = re.compile(r"[^\s<>()\"';,]+@[^\s<>()\"';,]+")


def signature(delivery_id: int) -> str:
    return salted_hmac(SALT, str(delivery_id)).hexdigest()[:16]


def return_path(delivery_id: int) -> str:
    """Return the envelope sender for delivery ``delivery_id``, or '' without a bounce address."""
    base = (settings.ATTUNE_EMAIL_BOUNCE_ADDRESS or "").strip()
    if not base or "@" not in base:
        return ""
    local, domain = base.rsplit("@", 1)
    return f"{local}+{delivery_id}-{signature(delivery_id)}@{domain}"


def delivery_of(text: str) -> int | None:
    """Return the delivery id named by a signed VERP address in ``text``, or None."""
    for match in VERP.finditer(text or ""):
        delivery_id = int(match["id"])
        if constant_time_compare(match["sig"].lower(), signature(delivery_id)):
            return delivery_id
    return None


@dataclass
class Bounce:
    delivery_id: int
    status: str  # "5.1.1"
    reason: str  # the diagnostic, addresses taken out


@dataclass
class Tally:
    read: int = 0
    recorded: int = 0
    already: int = 0  # a report for a delivery already recorded as not delivered
    unknown: int = 0  # no signed address, or no such delivery
    not_failed: int = 0  # delayed or delivered reports, and mail that is no report
    details: list[str] = field(default_factory=list)


def _text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload.decode("utf-8", "replace")
    if isinstance(payload, list):
        return "\n".join(_text(p) for p in payload)
    return str(part.get_payload() or "")


def _status_blocks(report: Message) -> list[Message]:
    """Return the per-recipient field blocks of a ``message/delivery-status`` part."""
    payload = report.get_payload()
    if isinstance(payload, list) and payload:
        return payload[1:] if len(payload) > 1 else payload
    raw = _text(report)
    blocks = [b for b in re.split(r"\r?\n\s*\r?\n", raw.strip()) if b.strip()]
    parsed = [message_from_bytes(b.encode(), policy=policy.compat32) for b in blocks]
    return parsed[1:] if len(parsed) > 1 else parsed


def read_bounce(message: Message) -> tuple[str, Bounce | None]:
    """Read one message: ("bounce", Bounce), ("unknown", None) or ("not_failed", None)."""
    addressed = " ".join(
        str(message.get(name, ""))
        for name in ("To", "Delivered-To", "X-Original-To", "Envelope-To", "Return-Path")
    )
    delivery_id = delivery_of(addressed)
    if delivery_id is None:  # the original's headers, quoted in the report, may name it
        delivery_id = delivery_of(message.as_string())
    report = next(
        (p for p in message.walk() if p.get_content_type() == "message/delivery-status"), None
    )
    if report is None:
        return ("not_failed" if delivery_id else "unknown"), None
    for block in _status_blocks(report):
        action = str(block.get("Action", "")).strip().lower()
        if action != "failed":
            continue
        status = str(block.get("Status", "")).strip().split()[0:1]
        diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
        diagnostic = ADDRESS.sub("<address>", diagnostic.split(";", 1)[-1].strip())[:200]
        if delivery_id is None:
            return "unknown", None
        return "bounce", Bounce(delivery_id, status[0] if status else "5.0.0", diagnostic)
    return "not_failed", None


@transaction.atomic
def bounce_record(bounce: Bounce) -> str:
    """Record a bounce on its delivery: "recorded", "already" or "unknown"."""
    delivery = (
        MessageDelivery.objects.select_for_update()
        .select_related("checkin")
        .filter(pk=bounce.delivery_id, channel="email")
        .first()
    )
    if delivery is None:
        return "unknown"
    if DELIVERY_RANK[delivery.state] == 3:  # already recorded as not delivered (or refused)
        return "already"
    delivery.state = DeliveryState.UNDELIVERED
    delivery.error_code = f"DSN {bounce.status}"[:12]
    delivery.bounce_reason = bounce.reason
    delivery.save(update_fields=["state", "error_code", "bounce_reason", "updated_at"])
    trail.record(
        actor=Actor.system(),
        action=TrailAction.UPDATE,
        client_id=delivery.checkin.client_id,
        object_type="checkin",
        object_ref=delivery.checkin_id,
        section="measures",
        detail=f"email {delivery.purpose}: bounced ({bounce.status})",
    )
    return "recorded"


def bounces_read(messages) -> Tally:
    """Read every message (``email.message.Message``) and record the bounces among them."""
    tally = Tally()
    for message in messages:
        tally.read += 1
        kind, bounce = read_bounce(message)
        if bounce is None:
            setattr(tally, kind, getattr(tally, kind) + 1)
            continue
        outcome = bounce_record(bounce)
        setattr(tally, outcome, getattr(tally, outcome) + 1)
    return tally


def maildir_messages(directory: str | Path):
    box = mailbox.Maildir(str(directory), factory=None, create=False)
    for key in box.iterkeys():
        with box.get_file(key) as handle:
            yield message_from_bytes(handle.read(), policy=policy.compat32)


def mbox_messages(path: str | Path):
    box = mailbox.mbox(str(path), create=False)
    try:
        for key in box.iterkeys():
            yield message_from_bytes(box.get_bytes(key), policy=policy.compat32)
    finally:
        box.close()


def with_return_path(message, delivery_id: int):
    """Give a Django message the delivery's VERP envelope sender, keeping its header From."""
    sender = return_path(delivery_id)
    if sender:
        message.extra_headers.setdefault("From", message.from_email)
        message.from_email = sender
    return message
