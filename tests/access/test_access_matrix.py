"""Every route × every persona × own and other object: status and what the body may contain.

The matrix is checked against the URLconf, so a new route that is not listed fails.  Routes of
the foundation are listed here; every other app lists its own in ``tests/<app>/access_routes.py``
as ``ROUTES = {name: (method, kind, expectations)}``, where ``kind`` is None, one of the kinds in
``own_and_other`` or a function ``(agency, persona) -> (own_kwargs, other_kwargs)``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.html import escape

PERSONAS = ("therapist_a", "therapist_b", "supervisor", "leader", "client", "anonymous")
LOGIN = "login"  # a redirect to the sign-in page

# route: (method, object kind, {persona: (own, other)}); a single value means both.


def staff(default=404, **statuses) -> dict:
    """Return a staff route's expectations: personas not named get ``default`` (404: out of
    scope), and a client or a visitor without a staff session is sent to sign in."""
    return {
        persona: statuses.get(persona, LOGIN if persona in ("client", "anonymous") else default)
        for persona in PERSONAS
    }


STAFF_ONLY_LEADER = staff(leader=200)
THERAPIST_OWN = staff(therapist_a=(200, 404), therapist_b=(200, 404))
THERAPISTS = staff(therapist_a=200, therapist_b=200)
EVERYONE = {persona: 200 for persona in PERSONAS}
MATRIX: dict[str, tuple[str, object, dict]] = {
    "access:home": ("get", None, staff(default=302)),
    "access:login": ("get", None, {**staff(default=302), "client": 200, "anonymous": 200}),
    "access:logout": ("post", None, {p: 302 for p in PERSONAS}),
    "access:mfa_setup": ("get", None, staff(default=200)),
    "clients:caseload": ("get", None, THERAPISTS),
    "clients:client_new": ("get", None, THERAPISTS),
    "clients:client_detail": ("get", "client", {**THERAPIST_OWN, "supervisor": (200, 404)}),
    "clients:client_edit": ("get", "client", THERAPIST_OWN),
    "clients:client_billing": ("get", "client", THERAPIST_OWN),
    "clients:client_link_new": ("post", "client", THERAPIST_OWN),
    "clients:identity_edit": ("get", "client", THERAPIST_OWN),
    "clients:formulation_edit": ("get", "client", THERAPIST_OWN),
    "clients:client_history": ("get", "client", THERAPIST_OWN),
    "clients:fhir_patient": ("get", "client", THERAPIST_OWN),
    "clients:break_glass": ("get", None, staff(therapist_a=200, therapist_b=200, supervisor=200)),
    "clients:link_open": ("get", "token", {p: (302, 404) for p in PERSONAS}),
    "clients:client_home": ("get", None, {p: 200 if p == "client" else 404 for p in PERSONAS}),
    # The language of the client pages: a choice kept in the browser's session, open to anyone
    # (an expired link's page offers it too); only a live link's client has it remembered.
    "clients:client_language": ("post", None, {p: 302 for p in PERSONAS}),
    "supervision:supervisees": ("get", None, staff(supervisor=200)),
    "supervision:supervisee_caseload": ("get", "therapist", staff(supervisor=(200, 404))),
    "healthz": ("get", None, EVERYONE),
}


def _app_routes() -> dict:
    routes = {}
    for path in sorted(Path(__file__).resolve().parents[1].glob("*/access_routes.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.access_routes")
        routes.update(module.ROUTES)
    return routes


MATRIX.update(_app_routes())


def route_names(resolver=None, namespace: str = "") -> dict[str, str]:
    """Return every named route in the URLconf with its pattern."""
    resolver = resolver or get_resolver()
    names = {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names.update(route_names(entry, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            names[f"{namespace}{entry.name}"] = str(entry.pattern)
    return names


def test_it_lists_every_route_in_the_matrix():
    assert set(route_names()) == set(MATRIX), "add new routes to MATRIX with their outcomes"


def own_and_other(agency, persona: str, kind) -> tuple[dict, dict]:
    if kind is None:
        return {}, {}
    if callable(kind):
        return kind(agency, persona)
    if kind == "client":
        own = agency.client_b if persona == "therapist_b" else agency.client_a
        other = agency.client_a if persona == "therapist_b" else agency.client_b
        return {"client_id": own.pk}, {"client_id": other.pk}
    if kind == "therapist":
        return {"therapist_id": agency.therapist_a.pk}, {"therapist_id": agency.therapist_b.pk}
    if kind == "staff":
        return {"staff_id": agency.therapist_b.pk}, {"staff_id": agency.therapist_a.pk}
    if kind == "token":
        return {"token": agency.link_token}, {"token": "x" * 43}
    raise AssertionError(kind)


def client_for(agency, persona: str) -> HttpClient:
    http = HttpClient()
    if persona == "client":
        assert http.get(f"/c/{agency.link_token}/").status_code == 302
    elif persona != "anonymous":
        http.force_login(getattr(agency, persona))
    return http


def forbidden_words(agency, persona: str) -> list[str]:
    """Return words that must never appear in any response this persona gets."""
    a, b = agency.client_a, agency.client_b
    everything = [a.chosen_name, b.chosen_name, a.legal_name, b.legal_name, a.email, b.email]
    allowed = {
        "therapist_a": [a.chosen_name, a.legal_name, a.email],
        "therapist_b": [b.chosen_name, b.legal_name, b.email],
        "supervisor": [a.chosen_name],  # a summary of a supervisee's client, nothing more
        "client": [a.chosen_name],
    }.get(persona, [])
    return [word for word in everything if word not in allowed]


CASES = [
    (route, persona, which)
    for route in MATRIX
    for persona in PERSONAS
    for which in (("own", "other") if MATRIX[route][1] else ("own",))
]


@pytest.mark.parametrize(("route", "persona", "which"), CASES)
def test_it_gives_each_persona_exactly_its_access(agency, route, persona, which):
    from django.urls import reverse

    method, kind, expectations = MATRIX[route]
    expected = expectations[persona]
    if isinstance(expected, tuple):
        expected = expected[0 if which == "own" else 1]
    own, other = own_and_other(agency, persona, kind)
    url = reverse(route, kwargs=own if which == "own" else other)
    http = client_for(agency, persona)
    response = getattr(http, method)(url)
    body = response.content.decode("utf-8", "replace")
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("access:login"))
    else:
        assert response.status_code == expected, f"{route} {persona} {which}: {body[:300]}"
    for word in forbidden_words(agency, persona):
        assert word not in body and escape(word) not in body, f"{route} {persona} leaked {word!r}"
    if response.status_code == 404:
        for client in (agency.client_a, agency.client_b):
            assert client.case_code not in body
