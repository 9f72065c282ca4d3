"""Which languages a measure has, said at sending; never sent silently in another language."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from attune.measures.bundled import load_bundled_instrument
from attune.measures.languages import complete_languages, has_language
from attune.measures.models import CheckIn
from tests.measures.checkins import send_checkin

pytestmark = pytest.mark.django_db


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.mark.parametrize(
    ("name", "languages"),
    [
        ("phq9", ("en",)),
        ("gad7", ("en",)),
        ("session-checkin", ("en", "ar", "es")),
    ],
)
def test_a_measure_has_a_language_only_when_all_its_texts_are_in_it(name, languages):
    instrument = load_bundled_instrument(name)
    assert complete_languages(instrument) == languages
    assert has_language(instrument, "en")
    assert has_language(instrument, "es-MX") == ("es" in languages)


def test_the_send_form_says_which_languages_each_measure_has(agency):
    page = signed_in(agency.therapist_a).get(f"/clients/{agency.client_a.pk}/measures/")
    html = page.content.decode()
    assert "The client reads their pages in <strong>Spanish</strong>" in html
    assert "Patient Health Questionnaire (PHQ-9) (in English)" in html
    assert "(in English, Arabic or Spanish" in html
    # The measures in the client's language come first in the list.
    assert html.index("(in English, Arabic or Spanish") < html.index("(PHQ-9) (in English)")
    assert "Not in Spanish:" in html and "their official translations are not included" in html
    assert 'name="other_language"' in html


def test_a_measure_not_in_the_clients_language_is_not_sent_without_the_tick(agency):
    http = signed_in(agency.therapist_a)
    url = f"/clients/{agency.client_a.pk}/measures/send/"
    response = http.post(url, {"instrument": "bundled:phq9"})
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "Nothing was sent. Patient Health Questionnaire (PHQ-9) is not available in Spanish" in html
    )
    assert not CheckIn.objects.exists()
    assert http.post(url, {"instrument": "bundled:phq9", "other_language": "on"}).status_code == 200
    assert CheckIn.objects.get().instrument.name == "phq9"


def test_a_measure_in_the_clients_language_needs_no_tick(agency):
    http = signed_in(agency.therapist_a)
    url = f"/clients/{agency.client_a.pk}/measures/send/"
    assert http.post(url, {"instrument": "bundled:session-checkin"}).status_code == 200
    assert CheckIn.objects.count() == 1


def test_a_client_whose_language_no_measure_has_gets_the_warning_for_each(agency):
    # client_b prefers Vietnamese, which no bundled measure is in.
    html = signed_in(agency.therapist_b).get(f"/clients/{agency.client_b.pk}/measures/")
    html = html.content.decode()
    assert "The client reads their pages in <strong>Vietnamese</strong>" in html
    assert "Not in Vietnamese:" in html


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("ar", "بعض هذه الأسئلة غير متوفرة بلغتك بعد"),
        ("es", "Algunas de estas preguntas todavía no están disponibles en su idioma"),
    ],
)
def test_the_client_is_told_in_their_language_when_questions_are_in_english(
    agency, language, notice
):
    sent = send_checkin(agency.client_a, instrument_name="phq9")
    http = HttpClient()
    http.get(sent.url.replace("http://testserver", ""))
    http.post("/c/language/", {"language": language})
    html = http.get("/c/").content.decode()
    assert notice in html
    assert 'lang="en"' in html  # each English question is marked as English


def test_no_notice_when_every_question_is_in_the_clients_language(agency):
    sent = send_checkin(agency.client_a)
    http = HttpClient()
    http.get(sent.url.replace("http://testserver", ""))
    http.post("/c/language/", {"language": "ar"})
    assert "بعض هذه الأسئلة" not in http.get("/c/").content.decode()
