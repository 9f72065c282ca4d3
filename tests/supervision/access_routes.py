"""The supervision app's new routes for the access-matrix test (tests/access/test_access_matrix.py).

The two first routes (supervisees, supervisee_caseload) are listed in the matrix itself.
"Own" is always the pair of the supervisor "sol" and therapist_a (therapist_b's own pair for
therapist_b); "other" is therapist_b's pair with a second supervisor, "sia".
"""

from __future__ import annotations

from tests.supervision import builders

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
