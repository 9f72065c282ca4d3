"""Reads of partners and referrals.  A read of a client's referrals is written to the trail."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.clients.queries import SMALL_CELL
from attune.community.models import Answer, Partner, PartnerKind, Referral


def partners(*, kind: str = "", language: str = "") -> list[Partner]:
    """Return partners by name, those offering ``kind`` in ``language`` when given."""
    found = list(Partner.objects.all())
    if kind:
        found = [partner for partner in found if kind in partner.kinds]
    if language:
        wanted = language.strip().lower()
        found = [
            partner
            for partner in found
            if any(
                tag.lower() == wanted or tag.lower().startswith(wanted + "-")
                for tag in partner.language_tags
            )
        ]
    return found


def partner(partner_id: int) -> Partner:
    found = Partner.objects.filter(pk=partner_id).first()
    if found is None:
        raise Http404
    return found


def interpreter_languages() -> list[str]:
    """Return the language tags that partners offering interpreters cover, without repeats."""
    tags: dict[str, None] = {}
    for found in Partner.objects.all():
        if PartnerKind.INTERPRETER in found.kinds:
            for tag in found.language_tags:
                tags.setdefault(tag, None)
    return list(tags)


def client_referrals(*, actor: Actor, client) -> list[Referral]:
    """Return a client's referrals (the caller has checked access), recording the read."""
    rows = list(
        Referral.objects.filter(client=client)
        .select_related("partner", "referred_by", "feedback")
        .order_by("-referred_on", "-pk")
    )
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=client.pk,
        object_type="client",
        object_ref=client.pk,
        section="referrals",
        detail=f"{len(rows)} referrals listed",
    )
    return rows


def referral_for(*, actor: StaffActor, referral_id: int) -> Referral:
    """Return a referral of a client on ``actor``'s own caseload, recording the read; else 404."""
    user = actor.user
    referral = (
        Referral.objects.select_related("client", "partner", "referred_by", "feedback")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or not user.has_perm("community.refer", referral.client):
        raise Http404
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=referral.client_id,
        object_type="referral",
        object_ref=referral.pk,
        section="referrals",
    )
    return referral


def referral_for_link(link) -> Referral | None:
    """Return the referral a feedback link is for, or the client's newest without feedback."""
    referral = Referral.objects.filter(feedback_link=link).select_related("feedback").first()
    if referral is not None:
        return referral
    return (
        Referral.objects.filter(client_id=link.client_id, feedback__isnull=True)
        .order_by("-referred_on", "-pk")
        .first()
    )


def referral_counts() -> list[dict]:
    """Return referrals and clients' ratings per partner, with small cells hidden.

    A count under 11 is hidden.  "Found helpful" and "felt respected" are shown only when both
    they and their complement among the rated (the rest) are 11 or more, so no small group can
    be recovered by subtraction.
    """
    yes = Q(feedback__helpful=Answer.YES)
    respected = Q(feedback__respected=Answer.YES)
    rows = (
        Referral.objects.values("partner_name")
        .annotate(
            n=Count("id"),
            rated=Count("feedback"),
            helpful=Count("id", filter=yes),
            respected=Count("id", filter=respected),
        )
        .order_by("partner_name")
    )

    def shown(n: int) -> int | None:
        return n if n >= SMALL_CELL else None

    def split(part: int, whole: int) -> int | None:
        return part if part >= SMALL_CELL and whole - part >= SMALL_CELL else None

    return [
        {
            "partner": row["partner_name"],
            "n": shown(row["n"]),
            "rated": shown(row["rated"]),
            "helpful": split(row["helpful"], row["rated"]),
            "respected": split(row["respected"], row["rated"]),
        }
        for row in rows
    ]
