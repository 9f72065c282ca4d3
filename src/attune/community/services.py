"""Every write of partners, referrals and the client's feedback on a referral.

Referrals and feedback are part of a client's record: each write names the client in the trail.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.clients.models import Client, ClientLink
from attune.clients.services import IssuedLink, claim_link, link_issue
from attune.community.models import Partner, Referral, ReferralFeedback

REFERRAL_FEEDBACK = "referral_feedback"
PARTNER_FIELDS = ("name", "kinds", "languages", "populations", "contact", "notes")


@transaction.atomic
def partner_create(*, actor: Actor, **fields) -> Partner:
    """Add a community partner."""
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise TypeError(f"unknown partner fields: {sorted(unknown)}")
    partner = Partner.objects.create(**fields)
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        object_type="partner",
        object_ref=partner.pk,
        section="community",
    )
    return partner


@transaction.atomic
def partner_update(*, actor: Actor, partner: Partner, **fields) -> None:
    """Change a partner's details."""
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise TypeError(f"unknown partner fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(partner, name, value)
    partner.save()
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        object_type="partner",
        object_ref=partner.pk,
        section="community",
    )


@transaction.atomic
def partner_delete(*, actor: Actor, partner: Partner) -> int:
    """Remove a partner; referrals to it keep the partner's name and their history.

    Return how many referrals pointed to it.
    """
    referrals = Referral.objects.filter(partner=partner).count()
    pk, name = partner.pk, partner.name
    partner.delete()  # the referrals' foreign key is set to NULL; partner_name stays
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        object_type="partner",
        object_ref=pk,
        section="community",
        detail=f"removed {name[:200]}; {referrals} referrals keep their history",
    )
    return referrals


@transaction.atomic
def referral_create(
    *,
    actor: StaffActor,
    client: Client,
    partner: Partner,
    consent_given_on: date,
    reason: str = "",
    referred_on: date,
    follow_up_on: date | None = None,
) -> Referral:
    """Refer ``client`` to ``partner``; the client's consent date is required."""
    if consent_given_on is None:
        raise ValueError("a referral needs the client's consent")
    referral = Referral.objects.create(
        client=client,
        partner=partner,
        partner_name=partner.name,
        reason=reason,
        consent_given_on=consent_given_on,
        referred_by=actor.user,
        referred_on=referred_on,
        follow_up_on=follow_up_on,
    )
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        client_id=client.pk,
        object_type="referral",
        object_ref=referral.pk,
        section="referrals",
        detail=f"to partner {partner.pk}",
    )
    return referral


@transaction.atomic
def referral_follow_up(
    *, actor: Actor, referral: Referral, follow_up: str, follow_up_notes: str, follow_up_on
) -> None:
    """Record how the referral went, as the therapist heard it."""
    referral.follow_up = follow_up
    referral.follow_up_notes = follow_up_notes
    referral.follow_up_on = follow_up_on
    referral.save(update_fields=["follow_up", "follow_up_notes", "follow_up_on"])
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        client_id=referral.client_id,
        object_type="referral",
        object_ref=referral.pk,
        section="referrals",
        detail=f"follow-up {follow_up}",
    )


@transaction.atomic
def referral_feedback_link_issue(*, actor: Actor, referral: Referral) -> IssuedLink:
    """Issue the client a private link to tell how the referral went; it replaces an older one."""
    issued = link_issue(actor=actor, client=referral.client, purpose=REFERRAL_FEEDBACK)
    if referral.feedback_link_id:
        ClientLink.objects.filter(pk=referral.feedback_link_id, used_at__isnull=True).update(
            revoked_at=issued.link.created_at
        )
    referral.feedback_link = issued.link
    referral.save(update_fields=["feedback_link"])
    return issued


@transaction.atomic
def referral_feedback_submit(
    *,
    actor: Actor,
    link: ClientLink,
    referral: Referral,
    helpful: str,
    respected: str,
    comment: str,
) -> ReferralFeedback | None:
    """Store the client's feedback on a referral, once per link.

    Return None when the link was already used (a double click) or the referral already has
    feedback; nothing is stored twice.
    """
    if referral.client_id != link.client_id:
        raise ValueError("the referral is not this client's")
    if not claim_link(link):
        return None
    if ReferralFeedback.objects.filter(referral=referral).exists():
        return None
    feedback = ReferralFeedback.objects.create(
        referral=referral,
        helpful=helpful,
        respected=respected,
        comment=comment,
        via_link=link,
    )
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        client_id=referral.client_id,
        object_type="referral_feedback",
        object_ref=feedback.pk,
        section="referrals",
        detail="by the client through a link",
    )
    return feedback
