"""Pages run a fixed number of queries, however large the caseload or the trail grows."""

from __future__ import annotations

from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from attune.access.actor import Actor
from attune.clients.services import client_create


def add_clients(therapist, count: int) -> None:
    for n in range(count):
        client_create(
            actor=Actor.system(),
            therapist=therapist,
            chosen_name=f"Client {n}",
            pronouns="they/them",
            preferred_language="es",
            interpreter_needed="yes",
        )


def queries_for(http: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return len(captured)


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    http.get("/healthz")  # the first request of a session also writes its start time
    return http


def test_it_keeps_the_caseload_query_count_flat(agency):
    http = signed_in(agency.therapist_a)
    small = queries_for(http, "/caseload/")
    add_clients(agency.therapist_a, 40)
    assert queries_for(http, "/caseload/") == small
    assert small <= 12


def test_it_keeps_a_supervisees_caseload_query_count_flat(agency):
    http = signed_in(agency.supervisor)
    url = f"/supervision/therapists/{agency.therapist_a.pk}/"
    small = queries_for(http, url)
    add_clients(agency.therapist_a, 40)
    assert queries_for(http, url) == small
    assert queries_for(http, "/supervision/") <= 12


def test_it_opens_a_client_overview_in_a_fixed_number_of_queries(agency):
    http = signed_in(agency.therapist_a)
    url = f"/clients/{agency.client_a.pk}/"
    first = queries_for(http, url)
    add_clients(agency.therapist_a, 20)
    assert queries_for(http, url) == first
    # The record and its care section are two trail writes (each: break-glass check, head, entry,
    # head moved); the sessions near the top are two reads, the client's recent words one.
    assert first <= 17


def test_it_lists_the_trail_in_a_fixed_number_of_queries(agency):
    http = signed_in(agency.leader)
    small = queries_for(http, "/agency/trail/")
    add_clients(agency.therapist_a, 60)
    assert queries_for(http, "/agency/trail/") == small
    assert queries_for(http, "/agency/") <= 12
