"""The organisation app's routes for the access matrix (tests/access/test_access_matrix.py)."""

from __future__ import annotations

from tests.access.test_access_matrix import LOGIN, PERSONAS

from .builders import make_action, make_assessment

MISSING = 987654


def _assessment(agency, persona):
    assessment = make_assessment(agency.leader)
    return {"assessment_id": assessment.pk}, {"assessment_id": MISSING}


def _two_assessments(agency, persona):
    earlier = make_assessment(agency.leader, title="Earlier")
    later = make_assessment(agency.leader, title="Later")
    return (
        {"assessment_id": later.pk, "other_id": earlier.pk},
        {"assessment_id": later.pk, "other_id": MISSING},
    )


def _item(agency, persona):
    item = make_assessment(agency.leader).items.first()
    return {"item_id": item.pk}, {"item_id": MISSING}


def _actions(agency, persona):
    """Own: an action owned by the persona's therapist; other: one owned by someone else."""
    action_a = make_action(agency.leader, agency.therapist_a, title="Action for Ana")
    action_b = make_action(agency.leader, agency.therapist_b, title="Action for Ben")
    if persona == "therapist_b":
        return {"action_id": action_b.pk}, {"action_id": action_a.pk}
    return {"action_id": action_a.pk}, {"action_id": action_b.pk}


LEADER_ONLY = {
    "leader": 200,
    "therapist_a": 404,
    "therapist_b": 404,
    "supervisor": 404,
    "client": LOGIN,
    "anonymous": LOGIN,
}
LEADER_OWN = {**LEADER_ONLY, "leader": (200, 404)}
ALL_STAFF = {**{p: 200 for p in PERSONAS}, "client": LOGIN, "anonymous": LOGIN}

ROUTES = {
    "organisation:assessment_list": ("get", None, LEADER_ONLY),
    "organisation:assessment_new": ("get", None, LEADER_ONLY),
    "organisation:assessment_detail": ("get", _assessment, LEADER_OWN),
    "organisation:assessment_edit": ("get", _assessment, LEADER_OWN),
    "organisation:assessment_compare": ("get", _two_assessments, LEADER_OWN),
    "organisation:assessment_item": ("get", _item, LEADER_OWN),
    # A post without a file is refused with the form (400); out of scope is 404.
    "organisation:item_document_upload": ("post", _item, {**LEADER_ONLY, "leader": (400, 404)}),
    "organisation:action_board": ("get", None, ALL_STAFF),
    "organisation:action_new": ("get", None, LEADER_ONLY),
    "organisation:action_detail": (
        "get",
        _actions,
        {
            "therapist_a": (200, 404),
            "therapist_b": (200, 404),
            "supervisor": 404,
            "leader": 200,
            "client": LOGIN,
            "anonymous": LOGIN,
        },
    ),
    "organisation:action_edit": ("get", _actions, LEADER_ONLY),
    "organisation:training_list": ("get", None, ALL_STAFF),
    "organisation:training_new": ("get", None, ALL_STAFF),
    "organisation:training_summary": ("get", None, LEADER_ONLY),
    # The public access statement needs no sign-in.
    "organisation:public_statement": ("get", None, {p: 200 for p in PERSONAS}),
    "organisation:public_statement_in": (
        "get",
        lambda agency, persona: ({"language": "ar"}, {"language": "xx"}),
        {p: (200, 404) for p in PERSONAS},
    ),
}
