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
ROUTES["care:today"] = ("get", None, {**THERAPIST_OWN, "therapist_a": 200, "therapist_b": 200})
# Marking a session as missed first asks to confirm: a POST without confirm=yes shows the question.
ROUTES["care:session_no_show"] = (
    "post",
    sessions,
    {**THERAPIST_OWN, "therapist_a": (200, 404), "therapist_b": (200, 404)},
)


# --- Reflection journal --------------------------------------------------------------------------
def reflections(agency, persona):
    """Return an entry of the persona's own journal and one of another therapist's.

    Personas without a journal get the two therapists' entries; the supervisor's "own" is ana's
    entry shared with them, so the detail page shows it and every other route still answers 404.
    """
    from tests.care.reflection_builders import share, write

    entry_a = write(agency.therapist_a, "A private thought of ana", client=agency.client_a)
    entry_b = write(agency.therapist_b, "A private thought of ben", client=agency.client_b)
    if persona == "supervisor":
        share(entry_a, agency.supervisor)
    own, other = (entry_b, entry_a) if persona == "therapist_b" else (entry_a, entry_b)
    return {"reflection_id": own.pk}, {"reflection_id": other.pk}


THERAPISTS_JOURNAL = {**THERAPIST_OWN, "therapist_a": 200, "therapist_b": 200}
ROUTES.update(
    {
        "care:reflection_list": ("get", None, THERAPISTS_JOURNAL),
        "care:reflection_new": ("get", None, THERAPISTS_JOURNAL),
        "care:reflection_detail": (
            "get",
            reflections,
            {**THERAPIST_OWN, "supervisor": (200, 404)},
        ),
        "care:reflection_edit": ("get", reflections, THERAPIST_OWN),
        # Without a supervisor chosen nothing is shared; the entry's page follows.
        "care:reflection_share": (
            "post",
            reflections,
            {**THERAPIST_OWN, "therapist_a": (302, 404), "therapist_b": (302, 404)},
        ),
        "care:reflection_unshare": (
            "post",
            reflections,
            {**THERAPIST_OWN, "therapist_a": (302, 404), "therapist_b": (302, 404)},
        ),
        # GET asks to confirm; deleting needs a POST.
        "care:reflection_delete": ("get", reflections, THERAPIST_OWN),
        "care:shared_reflections": (
            "get",
            None,
            {**THERAPIST_OWN, "therapist_a": 404, "therapist_b": 404, "supervisor": 200},
        ),
    }
)


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


# --- Session notes --------------------------------------------------------------------------------
def held_sessions(agency, persona):
    """Return a held session (with a note) of the persona's own client and one of another's."""
    from tests.care.note_builders import held_session, write_note

    mine, theirs = held_session(agency.client_a), held_session(agency.client_b)
    write_note(mine, "Talked about the week."), write_note(theirs, "Talked about the week.")
    own, other = (theirs, mine) if persona == "therapist_b" else (mine, theirs)
    return {"session_id": own.pk}, {"session_id": other.pk}


# A note is read only by therapists who may open the record; supervisors and leaders never.
ROUTES.update(
    {
        "care:note_list": ("get", "client", THERAPIST_OWN),
        "care:note_detail": ("get", held_sessions, THERAPIST_OWN),
        "care:note_write": ("get", held_sessions, THERAPIST_OWN),
        "care:note_history": ("get", held_sessions, THERAPIST_OWN),
    }
)
