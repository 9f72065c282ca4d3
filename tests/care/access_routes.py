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
ROUTES["care:today"] = ("get", None, {**THERAPIST_OWN, "therapist_a": 200, "therapist_b": 200})
# Marking a session as missed redirects back (to the session list, or to "Today" with next=).
ROUTES["care:session_no_show"] = (
    "post",
    sessions,
    {**THERAPIST_OWN, "therapist_a": (302, 404), "therapist_b": (302, 404)},
)
