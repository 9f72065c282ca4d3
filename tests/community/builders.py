"""Build partners and referrals through the real services."""

from __future__ import annotations

from datetime import date

from attune.access.actor import Actor
from attune.community import services


def make_partner(leader, *, name="Casa de Sanación", kinds=("cultural_healing",), **extra):
    fields = {"languages": "es, nah", "populations": "", "contact": "", "notes": "", **extra}
    return services.partner_create(actor=Actor(user=leader), name=name, kinds=list(kinds), **fields)


def make_referral(therapist, client, partner, **extra):
    return services.referral_create(
        actor=Actor(user=therapist),
        client=client,
        partner=partner,
        consent_given_on=extra.pop("consent_given_on", date(2026, 3, 2)),
        referred_on=extra.pop("referred_on", date(2026, 3, 2)),
        **extra,
    )
