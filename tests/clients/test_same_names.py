"""Two clients who chose the same name are told apart wherever staff list or pick them."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client as HttpClient
from django.utils import timezone

from attune.access.actor import Actor
from attune.care import services as care_services
from attune.clients import services
from attune.clients.queries import shared_name_codes, shared_names


def _client(agency, name, therapist=None):
    return services.client_create(
        actor=Actor.system(),
        therapist=therapist or agency.therapist_a,
        chosen_name=name,
        contact_consent="none",
    )


def _get(user, path) -> str:
    http = HttpClient()
    http.force_login(user)
    response = http.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_shared_names_ignore_case():
    assert shared_names(["Noa", "noa", "Kai", "Ama", "AMA", "Lee"]) == {"noa", "ama"}
    assert shared_names([]) == set()


def test_only_clients_sharing_a_name_get_a_case_code(agency):
    first, second = _client(agency, "Noa"), _client(agency, "NOA")
    _client(agency, "Noa", therapist=agency.therapist_b)  # another therapist's Noa
    codes = shared_name_codes(therapist=agency.therapist_a)
    assert codes == {first.pk: first.case_code, second.pk: second.case_code}


def test_the_caseload_tells_them_apart_and_leaves_others_alone(agency):
    first, second = _client(agency, "Noa"), _client(agency, "Noa")
    body = _get(agency.therapist_a, "/caseload/")
    assert f"(case {first.case_code})" in body
    assert f"(case {second.case_code})" in body
    assert f"(case {agency.client_a.case_code})" not in body


def test_the_supervisors_view_tells_them_apart(agency):
    first, second = _client(agency, "Noa"), _client(agency, "Noa")
    body = _get(agency.supervisor, f"/supervision/therapists/{agency.therapist_a.pk}/")
    assert f"(case {first.case_code})" in body and f"(case {second.case_code})" in body


def test_today_tells_them_apart(agency):
    first, second = _client(agency, "Noa"), _client(agency, "Noa")
    for client in (first, second):
        care_services.session_schedule(
            actor=Actor(user=agency.therapist_a),
            client=client,
            starts_at=timezone.now() - timedelta(minutes=1),
        )
    body = _get(agency.therapist_a, "/today/")
    if "Sessions today (2)" in body:  # not when run in the first minute after midnight
        assert f"(case {first.case_code})" in body and f"(case {second.case_code})" in body


def test_the_reflection_picker_tells_them_apart(agency):
    first, second = _client(agency, "Noa"), _client(agency, "Noa")
    body = _get(agency.therapist_a, "/reflections/new/")
    assert f"Noa (case {first.case_code})</option>" in body
    assert f"Noa (case {second.case_code})</option>" in body


def test_the_signals_page_tells_them_apart(agency):
    from tests.measures.checkins import answered_checkin

    first, second = _client(agency, "Noa"), _client(agency, "Noa")
    for client in (first, second):
        answered_checkin(client, 1)
    body = _get(agency.therapist_a, "/signals/")
    assert f"(case {first.case_code})" in body and f"(case {second.case_code})" in body
    assert f"(case {agency.client_a.case_code})" not in body
