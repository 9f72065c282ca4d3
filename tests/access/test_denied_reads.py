"""Refused reads are trailed: walking other therapists' client ids leaves a ``denied`` entry per
request, naming who asked and for what; leaders list them by staff member."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from attune.access.actor import Actor
from attune.access.models import AccessEvent, TrailAction
from attune.care.services import session_schedule

CLIENT_ROUTES = (
    "/clients/{id}/",
    "/clients/{id}/billing/",
    "/clients/{id}/edit/",
    "/clients/{id}/history/",
    "/clients/{id}/sessions/",
    "/clients/{id}/measures/",
    "/clients/{id}/notes/",
    "/clients/{id}/plan/",
    "/clients/{id}/plan/history/",
    "/clients/{id}/repairs/",
)
SESSION_ROUTES = ("/sessions/{id}/note/", "/sessions/{id}/note/versions/")


def signed_in(user) -> HttpClient:
    http = HttpClient(REMOTE_ADDR="198.51.100.7")
    http.force_login(user)
    return http


def denied(**filters):
    return AccessEvent.objects.filter(action=TrailAction.DENIED, **filters)


@pytest.fixture
def session_a(agency):
    return session_schedule(
        actor=Actor(user=agency.therapist_a),
        client=agency.client_a,
        starts_at=timezone.now() + timedelta(days=1),
    )


def test_walking_another_therapists_client_leaves_one_denied_entry_per_request(agency):
    http = signed_in(agency.therapist_b)
    target = agency.client_a.pk
    for route in CLIENT_ROUTES:
        before = denied().count()
        response = http.get(route.format(id=target))
        assert response.status_code == 404, route
        assert denied().count() == before + 1, route
        entry = denied().order_by("-id").first()
        assert entry.actor == agency.therapist_b
        assert (entry.object_type, entry.object_ref) == ("client", str(target))
        assert entry.client_ref == target
        assert entry.ip == "198.51.100.7"
        assert entry.detail == "outside the policy"
    # The 404 is the one anyone gets for a client that does not exist.
    missing = http.get("/clients/987654/")
    assert missing.status_code == 404
    entry = denied().order_by("-id").first()
    assert (entry.object_ref, entry.client_ref, entry.detail) == ("987654", None, "no such client")
    assert not AccessEvent.objects.filter(
        action=TrailAction.VIEW, actor=agency.therapist_b, client_ref=target
    ).exists()


def test_walking_session_ids_names_the_client_they_belong_to(agency, session_a):
    http = signed_in(agency.therapist_b)
    for route in SESSION_ROUTES:
        assert http.get(route.format(id=session_a.pk)).status_code == 404
        entry = denied().order_by("-id").first()
        assert (entry.object_type, entry.object_ref) == ("therapysession", str(session_a.pk))
        assert entry.client_ref == agency.client_a.pk
        assert entry.actor == agency.therapist_b


def test_a_leader_refused_a_client_record_is_trailed_too(agency):
    http = signed_in(agency.leader)
    assert http.get(f"/clients/{agency.client_b.pk}/").status_code == 404
    assert denied(actor=agency.leader, client_ref=agency.client_b.pk).count() == 1


def test_a_permitted_read_leaves_no_denied_entry(agency):
    http = signed_in(agency.therapist_a)
    for route in CLIENT_ROUTES:
        assert http.get(route.format(id=agency.client_a.pk)).status_code == 200, route
    assert not denied().exists()


def test_leaders_list_refused_accesses_by_staff_member(agency):
    http = signed_in(agency.therapist_b)
    for route in CLIENT_ROUTES[:3]:
        http.get(route.format(id=agency.client_a.pk))
    signed_in(agency.therapist_a).get(f"/clients/{agency.client_b.pk}/")
    leader = signed_in(agency.leader)
    summary = leader.get("/agency/trail/?refused=1").content.decode()
    assert "Refused accesses by staff member" in summary
    ben, ana = str(agency.therapist_b), str(agency.therapist_a)
    assert summary.index(f">{ben}</a>") < summary.index(f">{ana}</a>")  # most refusals first
    page = leader.get("/agency/trail/?staff=ben&refused=1")
    body = page.content.decode()
    assert f"Showing: refused accesses of staff member {ben}." in body
    assert body.count("<td>Refused") == 3
    assert agency.client_a.case_code in body
