"""The roster app's routes for the access matrix (tests/access/test_access_matrix.py)."""

from __future__ import annotations

from tests.access.test_access_matrix import LOGIN

from .builders import make_batch

MISSING = 987654


def _batch(agency, persona):
    batch = make_batch(agency.leader)
    return {"batch_id": batch.pk}, {"batch_id": MISSING}


LEADER_ONLY = {
    "leader": 200,
    "therapist_a": 404,
    "therapist_b": 404,
    "supervisor": 404,
    "client": LOGIN,
    "anonymous": LOGIN,
}

ROUTES = {
    "roster:import": ("get", None, LEADER_ONLY),
    "roster:batch": ("get", _batch, {**LEADER_ONLY, "leader": (200, 404)}),
    # A batch read by the command keeps no file: applying it from the page is refused with a
    # message (302 back to the batch); out of scope is 404.
    "roster:apply": ("post", _batch, {**LEADER_ONLY, "leader": (302, 404)}),
}
