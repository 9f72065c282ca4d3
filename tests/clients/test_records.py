"""Client records: names in any script, clear refusals, encryption at rest, the legal name apart."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient
from django.utils.html import escape

from attune.clients.encrypted import _cipher
from attune.clients.models import Client

NAMES = [
    "José",
    "Siobhán",
    "D'Andre",
    "Mary-Kate",
    "Tenzin",
    "王芳",
    "ليلى",
    "Алина",
    "प्रिया",
    "ሰላም",
    "Nguyễn Thị Mai",
    "Ó Súilleabháin",
]


def therapist_http(agency) -> HttpClient:
    http = HttpClient()
    http.force_login(agency.therapist_a)
    return http


@pytest.mark.parametrize("name", NAMES)
def test_it_accepts_names_in_any_script(agency, name):
    http = therapist_http(agency)
    response = http.post("/clients/new/", {"chosen_name": name, "contact_consent": "none"})
    assert response.status_code == 302, response.content.decode()[:500]
    client = Client.objects.get(pk=response["Location"].strip("/").split("/")[-1])
    assert client.chosen_name == name
    assert escape(name) in http.get(response["Location"]).content.decode()


def test_it_refuses_bad_input_keeping_everything_typed(agency):
    http = therapist_http(agency)
    before = Client.objects.count()
    response = http.post(
        "/clients/new/",
        {
            "chosen_name": "Kai",
            "pronouns": "they/them",
            "preferred_language": "español!",
            "email": "not-an-email",
            "phone": "call me",
            "contact_consent": "email",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Please fix 3 things below" in body
    assert 'value="Kai"' in body and 'value="they/them"' in body and 'value="call me"' in body
    assert Client.objects.count() == before


@pytest.mark.parametrize("bad", ["", "   ", "a\x00b", "x" * 101])
def test_it_says_what_to_fix_in_a_chosen_name(agency, bad):
    response = therapist_http(agency).post(
        "/clients/new/", {"chosen_name": bad, "contact_consent": "none"}
    )
    assert response.status_code == 200
    assert "Chosen name" in response.content.decode()


def test_it_encrypts_personal_words_at_rest(agency):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT chosen_name, legal_name, email FROM clients_client WHERE id = %s",
            [agency.client_a.pk],
        )
        stored = cursor.fetchone()
    plain_words = ["Zoë-Ann O'Brien", "Legalname-Alpha Person", "alpha@example.org"]
    for raw, plain in zip(stored, plain_words, strict=True):
        assert plain not in raw
        assert raw.startswith("gAAAA")  # a Fernet token


def test_it_rotates_field_keys_without_losing_words(agency, settings):
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
    _cipher.cache_clear()
    call_command("rotate_field_keys", verbosity=0)
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # old key retired
    _cipher.cache_clear()
    try:
        client = Client.objects.get(pk=agency.client_a.pk)
        assert client.chosen_name == "Zoë-Ann O'Brien"
        assert client.legal_name == "Legalname-Alpha Person"
    finally:
        settings.FIELD_ENCRYPTION_KEYS = old_keys
        _cipher.cache_clear()


def test_it_shows_the_legal_name_only_on_the_billing_page(agency):
    http = therapist_http(agency)
    overview = http.get(f"/clients/{agency.client_a.pk}/").content.decode()
    caseload = http.get("/caseload/").content.decode()
    billing = http.get(f"/clients/{agency.client_a.pk}/billing/").content.decode()
    assert escape(agency.client_a.legal_name) not in overview + caseload
    assert escape(agency.client_a.legal_name) in billing


def test_it_shows_chosen_names_pronouns_and_language_badges_on_the_caseload(agency):
    body = therapist_http(agency).get("/caseload/").content.decode()
    assert escape("Zoë-Ann O'Brien") in body
    assert "they/them" in body
    assert "Interpreter" in body
    assert "Preferred language: </span>Spanish</span>" in body
    assert ">es<" not in body


def test_it_closes_an_episode_with_its_reason(agency):
    from attune.access.actor import Actor
    from attune.access.models import AccessEvent
    from attune.clients.services import client_close

    client_close(actor=Actor(user=agency.therapist_a), client=agency.client_a, reason="dropped_out")
    agency.client_a.refresh_from_db()
    assert agency.client_a.closed_at is not None
    assert agency.client_a.end_reason == "dropped_out"
    assert AccessEvent.objects.filter(detail="episode closed: dropped_out").exists()
    with pytest.raises(ValueError, match="unknown end reason"):
        client_close(actor=Actor(user=agency.therapist_a), client=agency.client_b, reason="gone")
