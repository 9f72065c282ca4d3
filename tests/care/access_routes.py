"""The care app's routes for the access-matrix test (tests/access/test_access_matrix.py)."""

from __future__ import annotations

LOGIN = "login"


def sessions(agency, persona):
    """Return a scheduled session of the persona's own client and one of another's client."""
    from tests.measures.checkins import scheduled_session

    session_a, session_b = scheduled_session(agency.client_a), scheduled_session(agency.client_b)
    own, other = (session_b, session_a) if persona == "therapist_b" else (session_a, session_b)
    return {"session_id": own.pk}, {"session_id": other.pk}


def repairs(agency, persona):
    """Return a repair log of the persona's own client and one of another therapist's client."""
    from tests.care.repair_builders import open_log

    log_a, log_b = open_log(agency.client_a), open_log(agency.client_b)
    own, other = (log_b, log_a) if persona == "therapist_b" else (log_a, log_b)
    return {"repair_id": own.pk}, {"repair_id": other.pk}


def rupture_signals(agency, persona):
    """Return a rupture signal of the persona's own client and one of another's client."""
    from tests.measures.access_routes import signals

    return signals(agency, persona)


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
    # Rupture and repair logs.  A supervisor reads the logs of a supervisee's client.
    "care:repair_list": ("get", "client", {**THERAPIST_OWN, "supervisor": (200, 404)}),
    "care:repair_new": ("get", "client", THERAPIST_OWN),
    "care:repair_from_signal": ("get", rupture_signals, THERAPIST_OWN),
    "care:repair_detail": ("get", repairs, {**THERAPIST_OWN, "supervisor": (200, 404)}),
    "care:repair_edit": ("get", repairs, THERAPIST_OWN),
    # An empty POST re-shows the log with the closing form's errors; nothing changes.
    "care:repair_close": ("post", repairs, THERAPIST_OWN),
}
