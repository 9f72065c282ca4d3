"""A client's measures page: trends as a chart with a table beside it, and sending a measure."""

from __future__ import annotations

import re

from django.test import Client as HttpClient

from attune.access.models import AccessEvent
from attune.measures.models import CheckIn
from tests.measures.checkins import answered_checkin


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_it_draws_each_trend_with_a_table_of_the_same_figures(agency):
    for value in (9, 8, 4):
        answered_checkin(agency.client_a, value)
    body = signed_in(agency.therapist_a).get(f"/clients/{agency.client_a.pk}/measures/")
    html = body.content.decode()
    assert '<svg class="trend-chart"' in html and 'role="img"' in html
    assert "The same figures are in the table below." in html
    assert re.findall(r"<td>(\d+)</td><td>—</td>", html) == ["9", "8", "4"]
    assert "signal below 6" in html  # the threshold is labelled, not only coloured
    assert "not validated" in html
    entry = AccessEvent.objects.filter(section="measures", action="view").last()
    assert entry.client_ref == agency.client_a.pk and entry.actor == agency.therapist_a


def test_it_sends_a_phq9_link_and_shows_it_once(agency):
    http = signed_in(agency.therapist_a)
    url = f"/clients/{agency.client_a.pk}/measures/send/"
    # The client reads Spanish; the PHQ-9 is in English only, so the therapist ticks to send it.
    page = http.post(url, {"instrument": "bundled:phq9", "other_language": "on"}).content.decode()
    assert "Patient Health Questionnaire (PHQ-9)" in page
    assert re.search(r'value="http://testserver/c/[\w-]{20,}/"', page)
    assert CheckIn.objects.get().instrument.name == "phq9"


def test_it_refuses_a_measure_that_is_not_offered(agency):
    http = signed_in(agency.therapist_a)
    url = f"/clients/{agency.client_a.pk}/measures/send/"
    response = http.post(url, {"instrument": "stored:999"})
    assert response.status_code == 400
    assert "Choose a measure from the list." in response.content.decode()
    assert not CheckIn.objects.exists()
