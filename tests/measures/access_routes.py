"""The measures app's routes for the access-matrix test (tests/access/test_access_matrix.py)."""

from __future__ import annotations

from tests.access.test_access_matrix import LOGIN, PERSONAS


def signals(agency, persona):
    """Return a signal of the persona's own client and one of another therapist's client."""
    from tests.measures.checkins import answered_checkin

    low_a = answered_checkin(agency.client_a, 1)[0].signals.first()
    low_b = answered_checkin(agency.client_b, 1)[0].signals.first()
    own, other = (low_b, low_a) if persona == "therapist_b" else (low_a, low_b)
    return {"signal_id": own.pk}, {"signal_id": other.pk}


def schedules(agency, persona):
    """Return a schedule of the persona's own client and one of another therapist's client."""
    from tests.measures.schedules import make_schedule

    mine = make_schedule(agency.client_a)
    theirs = make_schedule(agency.client_b)
    own, other = (theirs, mine) if persona == "therapist_b" else (mine, theirs)
    return (
        {"client_id": own.client_id, "schedule_id": own.pk},
        {"client_id": other.client_id, "schedule_id": other.pk},
    )


def held_instrument(agency, persona):
    """Return an instrument held for review (the same one twice: it is the agency's)."""
    from attune.measures.models import ReviewState, StoredInstrument

    held = StoredInstrument.objects.create(
        key=f"urn:test:held-{persona}",
        url=f"urn:test:held-{persona}",
        name="held",
        title="Held",
        source_format="fhir",
        source="{}",
        review_state=ReviewState.NEEDS_REVIEW,
        review_findings=["item 'q1': a finding"],
    )
    return {"instrument_id": held.pk}, {"instrument_id": held.pk}


def checkins(agency, persona):
    """Return a check-in of the persona's own client and one of another therapist's client."""
    from tests.measures.checkins import send_checkin

    mine = send_checkin(agency.client_a).checkin
    theirs = send_checkin(agency.client_b).checkin
    own, other = (theirs, mine) if persona == "therapist_b" else (mine, theirs)
    return (
        {"client_id": own.client_id, "checkin_id": own.pk},
        {"client_id": other.client_id, "checkin_id": other.pk},
    )


LEADER_ONLY = {
    "therapist_a": 404,
    "therapist_b": 404,
    "supervisor": 404,
    "leader": 200,
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
THERAPIST_OWN_REDIRECT = {**THERAPIST_OWN, "therapist_a": (302, 404), "therapist_b": (302, 404)}

ROUTES = {
    "measures:signals": (
        "get",
        None,
        {
            "therapist_a": 200,
            "therapist_b": 200,
            "supervisor": 404,
            "leader": 404,
            "client": LOGIN,
            "anonymous": LOGIN,
        },
    ),
    # An empty POST: acknowledging works; closing without an outcome changes nothing.
    "measures:signal_acknowledge": ("post", signals, THERAPIST_OWN_REDIRECT),
    "measures:signal_close": ("post", signals, THERAPIST_OWN_REDIRECT),
    "measures:client_measures": ("get", "client", THERAPIST_OWN),
    # An empty POST: the measures page comes back with the reason (400); nothing is sent.
    "measures:measure_send": (
        "post",
        "client",
        {**THERAPIST_OWN, "therapist_a": (400, 404), "therapist_b": (400, 404)},
    ),
    # An empty POST: the form comes back with its errors (400); nothing is scheduled.
    "measures:schedule_create": (
        "post",
        "client",
        {**THERAPIST_OWN, "therapist_a": (400, 404), "therapist_b": (400, 404)},
    ),
    # An empty POST changes nothing and goes back to the measures page.
    "measures:schedule_change": ("post", schedules, THERAPIST_OWN_REDIRECT),
    # An empty POST (no "how"): nothing is issued, back to the measures page.
    "measures:checkin_fresh_link": ("post", checkins, THERAPIST_OWN_REDIRECT),
    "measures:instruments_review": ("get", None, LEADER_ONLY),
    # The provider's webhooks need no sign-in but a valid signature: an unsigned POST from anyone
    # is refused and changes nothing (tests/measures/test_sms_provider.py signs real ones).
    "measures:sms_status": ("post", None, dict.fromkeys(PERSONAS, 403)),
    "measures:sms_inbound": ("post", None, dict.fromkeys(PERSONAS, 403)),
    # An empty POST: the page comes back with the missing reason (400); nothing is accepted.
    "measures:instrument_accept": ("post", held_instrument, {**LEADER_ONLY, "leader": 400}),
}
