"""Break-glass: emergency access outside one's caseload asks a reason, ends, and is flagged."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client as HttpClient
from django.utils import timezone

from attune.access.models import AccessEvent, BreakGlassGrant, TrailAction


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_it_opens_another_therapists_client_only_with_a_reason(agency):
    http = signed_in(agency.therapist_b)
    url = f"/clients/{agency.client_a.pk}/"
    assert http.get(url).status_code == 404
    refused = http.post("/break-glass/", {"case_code": agency.client_a.case_code, "reason": "x"})
    assert refused.status_code == 200
    assert "at least 10 characters" in refused.content.decode()
    response = http.post(
        "/break-glass/",
        {"case_code": agency.client_a.case_code.lower(), "reason": "Client in crisis at the desk"},
    )
    assert response.status_code == 302
    assert http.get(url).status_code == 200
    event = AccessEvent.objects.get(action=TrailAction.BREAK_GLASS)
    assert event.flagged and event.actor == agency.therapist_b
    assert event.detail == "Client in crisis at the desk"


def test_it_ends_emergency_access_by_itself(agency):
    http = signed_in(agency.therapist_b)
    http.post(
        "/break-glass/",
        {"case_code": agency.client_a.case_code, "reason": "Client in crisis at the desk"},
    )
    BreakGlassGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert http.get(f"/clients/{agency.client_a.pk}/").status_code == 404


def test_it_says_when_a_case_code_matches_nobody(agency):
    response = signed_in(agency.therapist_b).post(
        "/break-glass/", {"case_code": "ZZZ-ZZZZ", "reason": "Client in crisis at the desk"}
    )
    assert "No client has this case code" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_it_shows_flagged_entries_to_leaders_by_client(agency):
    signed_in(agency.therapist_b).post(
        "/break-glass/",
        {"case_code": agency.client_a.case_code, "reason": "Client in crisis at the desk"},
    )
    page = signed_in(agency.leader).get(f"/agency/trail/?client={agency.client_a.case_code}")
    body = page.content.decode()
    assert "(flagged)" in body and "Client in crisis at the desk" in body
    assert agency.client_a.chosen_name not in body
