"""Languages by their names, in the reader's language, on the staff pages that list clients."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.utils import translation

from attune.access.actor import Actor
from attune.clients import services
from attune.clients.language_names import language_name


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("es", "Spanish"),
        ("ko", "Korean"),
        ("ase", "American Sign Language"),
        ("zh-Hans", "Chinese (Simplified)"),
        ("zh-Hant", "Chinese (Traditional)"),
        ("prs", "Dari"),
        ("es-MX", "Spanish (Mexico)"),
        ("EN", "English"),
    ],
)
def test_it_names_a_tag_in_english_for_staff(tag, name):
    assert language_name(tag, "en") == name


def test_it_names_a_tag_in_the_readers_language():
    assert language_name("ko", "es") == "coreano"
    with translation.override("ar"):
        assert language_name("es") == "الإسبانية"


@pytest.mark.parametrize("tag", ["xx-bogus", "qaa", "i-klingon", "123", "und", "x-private"])
def test_an_unknown_tag_is_shown_as_written_with_a_hint(tag):
    assert language_name(tag, "en") == f"{tag} (language code)"


def test_an_empty_tag_has_no_name():
    assert language_name("", "en") == ""
    assert language_name(None, "en") == ""
    assert language_name("   ", "en") == ""


def _client(agency, name, language, therapist=None):
    return services.client_create(
        actor=Actor.system(),
        therapist=therapist or agency.therapist_a,
        chosen_name=name,
        preferred_language=language,
        contact_consent="none",
    )


def _page(user, path) -> str:
    http = HttpClient()
    http.force_login(user)
    response = http.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_caseload_shows_names_not_tags(agency):
    for index, tag in enumerate(["ko", "ase", "zh-Hans", "xx-bogus"]):
        _client(agency, f"Client {index}", tag)
    body = _page(agency.therapist_a, "/caseload/")
    for name in ["Spanish", "Korean", "American Sign Language", "Chinese (Simplified)"]:
        assert f"Preferred language: </span>{name}</span>" in body
    assert "Preferred language: </span>xx-bogus (language code)</span>" in body
    for tag in ["es", "ko", "ase", "zh-Hans"]:
        assert f"</span>{tag}</span>" not in body


def test_the_supervisors_view_of_a_caseload_shows_names(agency):
    body = _page(agency.supervisor, f"/supervision/therapists/{agency.therapist_a.pk}/")
    assert "Preferred language: </span>Spanish</span>" in body


def test_the_client_page_shows_the_name(agency):
    body = _page(agency.therapist_a, f"/clients/{agency.client_a.pk}/")
    assert "<dd>Spanish</dd>" in body
    assert "Preferred language: </span>Spanish</span>" in body


def test_the_agency_page_counts_languages_by_name(agency):
    for index in range(11):
        _client(agency, f"Hangul {index}", "ko", therapist=agency.therapist_b)
    body = _page(agency.leader, "/agency/")
    assert '<th scope="row">Korean</th><td>11</td>' in body
    assert '<th scope="row">Spanish</th>' in body
    assert '<th scope="row">ko</th>' not in body


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Korean", "ko"),
        ("español", "es"),
        ("American Sign Language", "ase"),
        ("zh-Hant", "zh-Hant"),
    ],
)
def test_staff_may_type_a_languages_name_or_its_code(agency, typed, stored):
    from attune.clients.models import Client

    http = HttpClient()
    http.force_login(agency.therapist_a)
    response = http.post(
        "/clients/new/",
        {"chosen_name": "Typed Language", "preferred_language": typed, "contact_consent": "none"},
    )
    assert response.status_code == 302
    client = max(Client.objects.all(), key=lambda c: c.pk)
    assert client.preferred_language == stored


def test_an_unknown_language_name_is_refused_and_nothing_is_saved(agency):
    from attune.clients.models import Client

    before = Client.objects.count()
    http = HttpClient()
    http.force_login(agency.therapist_a)
    response = http.post(
        "/clients/new/",
        {
            "chosen_name": "Nobody",
            "preferred_language": "Lithuanian please",
            "contact_consent": "none",
        },
    )
    assert response.status_code == 200
    assert "No language by that name" in response.content.decode()
    assert Client.objects.count() == before


def test_the_edit_form_shows_the_languages_name(agency):
    body = _page(agency.therapist_a, f"/clients/{agency.client_a.pk}/edit/")
    assert 'name="preferred_language" value="Spanish"' in body
