"""The care app's routes for the access-matrix test (tests/access/test_access_matrix.py)."""

from __future__ import annotations

LOGIN = "login"


def sessions(agency, persona):
    """Return a scheduled session of the persona's own client and one of another's client."""
    from tests.measures.checkins import scheduled_session

    session_a, session_b = scheduled_session(agency.client_a), scheduled_session(agency.client_b)
    own, other = (session_b, session_a) if persona == "therapist_b" else (session_a, session_b)
    return {"session_id": own.pk}, {"session_id": other.pk}


THERAPIST_OWN = {
    "therapist_a": (200, 404),
    "therapist_b": (200, 404),
    "supervisor": 404,
    "leader": 404,
    "client": LOGIN,
    "anonymous": LOGIN,
}

ROUTES = {
    "care:session_list": ("get", "client", THERAPIST_OWN),
    # An empty POST re-shows the form with its error.
    "care:session_schedule": ("post", "client", THERAPIST_OWN),
    # Marking held needs no fields (goals are optional) and shows the link it sent, once.
    "care:session_held": ("post", sessions, THERAPIST_OWN),
    # Without saying who cancelled, nothing changes and the list follows.
    "care:session_cancel": (
        "post",
        sessions,
        {**THERAPIST_OWN, "therapist_a": (302, 404), "therapist_b": (302, 404)},
    ),
}


def adaptations(agency, persona):
    """Return an adaptation of the persona's own client and one of another's client."""
    from tests.care.builders import make_adaptation

    mine, theirs = make_adaptation(agency.client_a), make_adaptation(agency.client_b)
    own, other = (theirs, mine) if persona == "therapist_b" else (mine, theirs)
    return {"adaptation_id": own.pk}, {"adaptation_id": other.pk}


THERAPIST_OWN_REDIRECTS = {**THERAPIST_OWN, "therapist_a": (302, 404), "therapist_b": (302, 404)}

ROUTES.update(
    {
        # The full plan for the therapist; a supervisor of the therapist sees its summary.
        "care:plan_detail": ("get", "client", {**THERAPIST_OWN, "supervisor": (200, 404)}),
        "care:plan_edit": ("get", "client", THERAPIST_OWN),
        "care:plan_history": ("get", "client", THERAPIST_OWN),
        # Without a purpose no link is made and the plan page follows.
        "care:plan_link": ("post", "client", THERAPIST_OWN_REDIRECTS),
        # Without a choice nothing changes and the plan page follows.
        "care:client_view_set": ("post", "client", THERAPIST_OWN_REDIRECTS),
        "care:adaptation_list": ("get", "client", THERAPIST_OWN),
        "care:adaptation_new": ("get", "client", THERAPIST_OWN),
        # Issues the client a feedback link and shows it once.
        "care:adaptation_link": ("post", "client", THERAPIST_OWN),
        "care:adaptation_edit": ("get", adaptations, THERAPIST_OWN),
        "care:adaptation_feedback": ("get", adaptations, THERAPIST_OWN),
    }
)
