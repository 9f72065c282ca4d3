"""Every supervision page a person can open leaves an entry in the access trail."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from attune.access.models import AccessEvent
from tests.access.test_access_matrix import own_and_other
from tests.supervision.access_routes import ROUTES

# Blank forms read nothing; what they create is in the trail when it is saved.
BLANK_FORMS = {"supervision:consultation_group_new"}
PAGES = [
    (route, persona)
    for route, (method, _kind, expected) in ROUTES.items()
    if method == "get" and route not in BLANK_FORMS
    for persona, outcome in expected.items()
    if outcome == 200 or (isinstance(outcome, tuple) and outcome[0] == 200)
]


@pytest.mark.parametrize(("route", "persona"), PAGES)
def test_opening_a_page_is_in_the_trail(agency, route, persona):
    _method, kind, _expected = ROUTES[route]
    own, _other = own_and_other(agency, persona, kind)
    user = getattr(agency, persona)
    http = HttpClient()
    http.force_login(user)
    before = AccessEvent.objects.filter(actor=user, action="view").count()
    assert http.get(reverse(route, kwargs=own)).status_code == 200
    assert AccessEvent.objects.filter(actor=user, action="view").count() > before, route
