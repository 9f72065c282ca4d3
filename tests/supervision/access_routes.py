"""Consultation routes for the access matrix (tests/access/test_access_matrix.py).

Group one has therapist_a and the supervisor; group two has therapist_b.  Each has a posted
case about its therapist's client.  A leader manages both and reads neither.
"""

from __future__ import annotations

from attune.access.actor import Actor
from attune.supervision import services

from .builders import make_group, post_case

LOGIN = "login"
MISSING = 987654


def _world(agency):
    cached = agency.__dict__.get("_consultation")
    if cached:
        return cached
    one = make_group(agency.leader, agency.therapist_a, agency.supervisor, name="Group one")
    two = make_group(agency.leader, agency.therapist_b, name="Group two")
    case_one = post_case(agency.therapist_a, one, agency.client_a)
    case_two = post_case(agency.therapist_b, two, agency.client_b)
    world = {"groups": (one, two), "cases": (case_one, case_two)}
    agency.__dict__["_consultation"] = world
    return world


def _mine_first(pair, persona):
    return (pair[1], pair[0]) if persona == "therapist_b" else pair


def _groups(agency, persona):
    own, other = _mine_first(_world(agency)["groups"], persona)
    return {"group_id": own.pk}, {"group_id": other.pk}


def _leader_groups(agency, persona):
    own, _ = _world(agency)["groups"]
    return {"group_id": own.pk}, {"group_id": MISSING}


def _memberships(agency, persona):
    own, _ = _world(agency)["groups"]
    membership = own.memberships.first()
    return {"membership_id": membership.pk}, {"membership_id": MISSING}


def _present(agency, persona):
    """Own: the persona's group and own client; other: the same group, another's client."""
    group, _ = _mine_first(_world(agency)["groups"], persona)
    own, other = _mine_first((agency.client_a, agency.client_b), persona)
    return {"group_id": group.pk, "client_id": own.pk}, {
        "group_id": group.pk,
        "client_id": other.pk,
    }


def _drafts(agency, persona):
    one, two = _world(agency)["groups"]
    draft_a = services.case_draft_start(
        actor=Actor(user=agency.therapist_a), group=one, client=agency.client_a
    )
    draft_b = services.case_draft_start(
        actor=Actor(user=agency.therapist_b), group=two, client=agency.client_b
    )
    own, other = _mine_first((draft_a, draft_b), persona)
    return {"case_id": own.pk}, {"case_id": other.pk}


def _cases(agency, persona):
    own, other = _mine_first(_world(agency)["cases"], persona)
    return {"case_id": own.pk}, {"case_id": other.pk}


def _expect(**statuses):
    base = {
        "therapist_a": 404,
        "therapist_b": 404,
        "supervisor": 404,
        "leader": 404,
        "client": LOGIN,
        "anonymous": LOGIN,
    }
    return {**base, **statuses}


MEMBERS = _expect(therapist_a=(200, 404), therapist_b=(200, 404), supervisor=(200, 404))
PRESENTERS = _expect(therapist_a=(200, 404), therapist_b=(200, 404))

ROUTES = {
    "supervision:consultation_groups": (
        "get",
        None,
        _expect(therapist_a=200, therapist_b=200, supervisor=200, leader=200),
    ),
    "supervision:consultation_group_new": ("get", None, _expect(leader=200)),
    "supervision:consultation_group": ("get", _groups, MEMBERS),
    "supervision:consultation_members": ("get", _leader_groups, _expect(leader=(200, 404))),
    "supervision:consultation_member_remove": (
        "post",
        _memberships,
        _expect(leader=(302, 404)),
    ),
    "supervision:consultation_pick_client": ("get", _groups, PRESENTERS),
    "supervision:consultation_case_new": ("get", _present, PRESENTERS),
    # An empty POST to one's own draft shows the original form again, with its errors.
    "supervision:consultation_case_post": ("post", _drafts, PRESENTERS),
    "supervision:consultation_case": ("get", _cases, MEMBERS),
    # An empty reply re-shows the case with the form's error (400).
    "supervision:consultation_case_reply": (
        "post",
        _cases,
        _expect(therapist_a=(400, 404), therapist_b=(400, 404), supervisor=(400, 404)),
    ),
}
