"""A fresh link for a check-in whose invitation did not reach the client.

Services (they write).  ``checkin_fresh_link`` revokes the check-in's link and issues a new one
for the same check-in (same questions, same closing date), to hand over in person (the page
shows it once, with a QR code) or to send by the other channel the client agreed to.  The
trail records who issued it and how it was to reach the client.  ``other_channel`` says which
channel a failed invitation can still try.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction
from attune.clients import services as client_services
from attune.measures.contact import other_channel
from attune.measures.invitations import deliver_invitation
from attune.measures.models import CheckIn

HOW = ("in_person", "email", "sms")
CHANNEL_NAMES = {"email": "email", "sms": "text message"}


class FreshLinkRefused(ValueError):
    """The check-in cannot have a fresh link (answered, closed, or the channel is not open)."""


@dataclass
class FreshLink:
    checkin: CheckIn
    url: str
    how: str
    delivered_by: tuple[str, ...] = field(default=())


def checkin_open(checkin: CheckIn, now=None) -> bool:
    now = now or timezone.now()
    return (
        checkin.link.used_at is None
        and checkin.expires_at > now
        and checkin.expiry_handled_at is None
    )


@transaction.atomic
def checkin_fresh_link(*, actor: Actor, checkin_id: int, how: str, base_url: str) -> FreshLink:
    """Replace the check-in's link with a new one and, for "email"/"sms", send it that way."""
    if how not in HOW:
        raise FreshLinkRefused("choose how the link reaches the client")
    checkin = (
        CheckIn.objects.select_for_update()
        .select_related("link", "client")
        .prefetch_related("deliveries")
        .get(pk=checkin_id)
    )
    if not checkin_open(checkin):
        raise FreshLinkRefused("the check-in was answered or has closed")
    if how != "in_person" and other_channel(checkin) != how:
        raise FreshLinkRefused(f"the client cannot be reached by {CHANNEL_NAMES[how]} now")
    old = checkin.link
    old.revoked_at = timezone.now()
    old.save(update_fields=["revoked_at"])
    issued = client_services.link_issue(
        actor=actor, client=checkin.client, purpose=old.purpose, days=1
    )
    issued.link.expires_at = checkin.expires_at  # the same closing date as before
    issued.link.save(update_fields=["expires_at"])
    checkin.link = issued.link
    checkin.save(update_fields=["link"])
    url = base_url.rstrip("/") + f"/c/{issued.token}/"
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        client_id=checkin.client_id,
        object_type="checkin",
        object_ref=checkin.pk,
        section="measures",
        detail=(
            "fresh link to give in person"
            if how == "in_person"
            else f"fresh link sent by {CHANNEL_NAMES[how]}"
        ),
    )
    fresh = FreshLink(checkin=checkin, url=url, how=how)
    if how != "in_person":
        fresh.delivered_by = (how,)
        checkin_id, client_id, expires_at = checkin.pk, checkin.client_id, checkin.expires_at
        transaction.on_commit(
            lambda: deliver_invitation(
                client_id=client_id,
                url=url,
                expires_at=expires_at,
                checkin_id=checkin_id,
                only=how,
            )
        )
    return fresh
