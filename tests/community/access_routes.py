"""The community app's routes for the access matrix (tests/access/test_access_matrix.py)."""

from __future__ import annotations

from tests.access.test_access_matrix import LOGIN, PERSONAS

from .builders import make_partner, make_referral

MISSING = 987654


def _partner(agency, persona):
    partner = make_partner(agency.leader)
    return {"partner_id": partner.pk}, {"partner_id": MISSING}


def _referrals(agency, persona):
    """Own: a referral of the persona's own client; other: one of another therapist's client."""
    partner = make_partner(agency.leader)
    ref_a = make_referral(agency.therapist_a, agency.client_a, partner)
    ref_b = make_referral(agency.therapist_b, agency.client_b, partner)
    if persona == "therapist_b":
        return {"referral_id": ref_b.pk}, {"referral_id": ref_a.pk}
    return {"referral_id": ref_a.pk}, {"referral_id": ref_b.pk}


LEADER_ONLY = {
    "leader": 200,
    "therapist_a": 404,
    "therapist_b": 404,
    "supervisor": 404,
    "client": LOGIN,
    "anonymous": LOGIN,
}
THERAPIST_OWN = {
    "therapist_a": (200, 404),
    "therapist_b": (200, 404),
    "supervisor": 404,
    "leader": 404,
    "client": LOGIN,
    "anonymous": LOGIN,
}
ALL_STAFF = {**{p: 200 for p in PERSONAS}, "client": LOGIN, "anonymous": LOGIN}

ROUTES = {
    "community:partner_list": ("get", None, ALL_STAFF),
    "community:partner_new": ("get", None, LEADER_ONLY),
    "community:partner_edit": ("get", _partner, {**LEADER_ONLY, "leader": (200, 404)}),
    "community:partner_delete": ("post", _partner, {**LEADER_ONLY, "leader": (302, 404)}),
    # Leaders see referrals only as counts by partner, small counts hidden.
    "community:referral_counts": ("get", None, LEADER_ONLY),
    "community:client_referrals": ("get", "client", THERAPIST_OWN),
    "community:referral_detail": ("get", _referrals, THERAPIST_OWN),
    "community:referral_link": ("post", _referrals, THERAPIST_OWN),
}
