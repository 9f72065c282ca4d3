"""The supervision app's routes for the access-matrix test (tests/access/test_access_matrix.py).

The two first routes (supervisees, supervisee_caseload) are listed in the matrix itself.
"Own" is always the pair of the supervisor "sol" and therapist_a (therapist_b's own pair for
therapist_b); "other" is therapist_b's pair with a second supervisor, "sia".
"""

from __future__ import annotations

from attune.access.actor import Actor
from attune.supervision import services
from tests.supervision import builders
from tests.supervision.consultation_builders import make_group, post_case

LOGIN = "login"


def _own_other(agency, persona):
    builders.other_supervisor(agency)
    mine = builders.pair_of(agency.therapist_a)
    theirs = builders.pair_of(agency.therapist_b)
    return (theirs, mine) if persona == "therapist_b" else (mine, theirs)


def pairs(agency, persona):
    own, other = _own_other(agency, persona)
    return {"pair_id": own.pk}, {"pair_id": other.pk}


def meetings(agency, persona):
    own, other = _own_other(agency, persona)
    return {"meeting_id": builders.meeting(own).pk}, {"meeting_id": builders.meeting(other).pk}


def actions(agency, persona):
    from attune.access.actor import Actor
    from attune.supervision import services

    ids = []
    for pair in _own_other(agency, persona):
        found = builders.meeting(pair)
        action = found.actions.first()
        if action is None:
            services.meeting_record(
                actor=Actor(user=pair.supervisor),
                meeting=found,
                status="held",
                notes="",
                version=found.version,
                actions=["Read about interpreters"],
            )
            action = found.actions.first()
        ids.append(action.pk)
    return {"action_id": ids[0]}, {"action_id": ids[1]}


def goals(agency, persona):
    return (
        {"goal_id": builders.goal(agency.therapist_a).pk},
        {"goal_id": builders.goal(agency.therapist_b).pk},
    )


def supervisors(agency, persona):
    return {"supervisor_id": agency.supervisor.pk}, {
        "supervisor_id": builders.other_supervisor(agency).pk
    }


def staff(default=404, **statuses) -> dict:
    personas = ("therapist_a", "therapist_b", "supervisor", "leader", "client", "anonymous")
    return {
        p: statuses.get(p, LOGIN if p in ("client", "anonymous") else default) for p in personas
    }


IN_PAIR = staff(therapist_a=(200, 404), therapist_b=(200, 404), supervisor=(200, 404))
# Growth plans: "own" is therapist_a's plan and "other" therapist_b's, for every persona.
PLAN = staff(therapist_a=(200, 404), therapist_b=(404, 200), supervisor=(200, 404))

ROUTES = {
    "supervision:mine": ("get", None, staff(therapist_a=200, therapist_b=200)),
    "supervision:pairs": ("get", None, staff(leader=200)),
    # An empty form is shown again with its errors.
    "supervision:pair_new": ("post", None, staff(leader=200)),
    # Without a date nothing changes and the list follows.
    "supervision:pair_end": ("post", pairs, staff(leader=302)),
    "supervision:meetings": ("get", pairs, IN_PAIR),
    "supervision:meeting_plan": ("post", pairs, staff(supervisor=(200, 404))),
    "supervision:meeting_detail": ("get", meetings, IN_PAIR),
    "supervision:meeting_record": ("post", meetings, staff(supervisor=(200, 404))),
    "supervision:agenda": ("get", meetings, IN_PAIR),
    "supervision:agenda_pdf": ("get", meetings, IN_PAIR),
    "supervision:action_close": ("post", actions, staff(supervisor=(302, 404))),
    "supervision:growth_plan": ("get", "therapist", PLAN),
    "supervision:goal_add": ("post", "therapist", PLAN),
    "supervision:goal_edit": ("get", goals, PLAN),
    "supervision:entry_add": ("post", goals, PLAN),
    "supervision:feedback_form": (
        "get",
        supervisors,
        staff(therapist_a=(200, 404), therapist_b=(404, 200)),
    ),
    "supervision:feedback_results": ("get", None, staff(supervisor=200)),
    "supervision:agency_feedback": ("get", None, staff(leader=200)),
}


# --- Consultation groups -----------------------------------------------------------------------
# Group one has therapist_a and the supervisor; group two has therapist_b.  Each has a posted case
# about its therapist's client.  A leader manages both and reads neither.
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

ROUTES.update(
    {
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
)
