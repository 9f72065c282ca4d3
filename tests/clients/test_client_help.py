"""Around every page a client opens by link: the agency, crisis help and the language choice,
in the client's language; and what the thank-you page says after an answer on a safety item."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client as HttpClient

from attune.access.actor import Actor
from attune.clients import link_purposes
from attune.clients.models import Client, LinkPurpose
from attune.clients.services import link_issue
from tests.measures.checkins import PHQ9_CODES, send_checkin

pytestmark = pytest.mark.django_db

CRISIS = {
    "en": "If you are in danger or thinking of harming yourself, call your local emergency "
    "number now.",
    "es": "Si está en peligro o piensa en hacerse daño, llame ahora al número de emergencias "
    "de su zona.",
    "ar": "في حال التعرّض للخطر أو التفكير في إيذاء النفس، يُرجى الاتصال الآن برقم الطوارئ المحلي.",
}
CARE_TEAM = {"en": "Your care team", "es": "Su equipo de atención", "ar": "فريق رعايتك"}
SAFETY_HEADING = {
    "en": "Your answers may not be read today",
    "es": "Es posible que sus respuestas no se lean hoy",
    "ar": "قد لا تُقرأ إجاباتك اليوم",
}
LANGUAGES = ["en", "es", "ar"]


def open_in(token: str, language: str | None) -> HttpClient:
    http = HttpClient()
    assert http.get(f"/c/{token}/").status_code == 302
    if language:
        assert http.post("/c/language/", {"language": language}).status_code == 302
    return http


def assert_help_around(body: str, language: str) -> None:
    assert f'<html lang="{language}"' in body
    assert CRISIS[language] in body
    assert 'id="crisis-help"' in body
    assert CARE_TEAM[language] in body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("purpose", sorted(link_purposes.PAGES))
def test_every_link_page_carries_the_agency_and_crisis_help(agency, purpose, language):
    issued = link_issue(
        actor=Actor(user=agency.therapist_a), client=agency.client_a, purpose=purpose
    )
    http = open_in(issued.token, language)
    response = http.get("/c/")
    assert response.status_code == 200
    body = response.content.decode()
    assert_help_around(body, language)
    # The languages to switch to, each in its own name, on the same page.
    assert 'action="/c/language/"' in body
    for code, name in (("en", "English"), ("es", "Español"), ("ar", "العربيّة")):
        assert f'lang="{code}"' in body and name in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_used_up_link_page_carries_crisis_help_in_the_chosen_language(agency, language):
    http = HttpClient()
    assert http.get("/c/not-a-real-token/").status_code == 404
    # The language form works without a live link, and brings the visitor back to the page.
    assert http.post("/c/language/", {"language": language})["Location"] == "/c/"
    response = http.get("/c/")
    assert response.status_code == 404
    assert_help_around(response.content.decode(), language)


def test_the_first_screen_greets_in_every_language_with_the_agency(agency, settings):
    settings.ATTUNE_AGENCY_NAME = "Riverside Counselling"
    settings.ATTUNE_AGENCY_CONTACT = "Front desk 555-0100"
    body = open_in(agency.link_token, None).get("/c/").content.decode()
    assert "Riverside Counselling" in body and "Front desk 555-0100" in body
    assert '<span class="welcome-heading" lang="en" dir="ltr">Choose your language</span>' in body
    assert '<span class="welcome-heading" lang="es" dir="ltr">Elija su idioma</span>' in body
    assert '<span class="welcome-heading" lang="ar" dir="rtl">يُرجى اختيار اللغة</span>' in body
    assert "Riverside Counselling sent you this private link." in body
    assert "هذا رابط خاص مُرسَل إليك من Riverside Counselling." in body
    # Crisis help before any language is chosen: in each language.
    for text in CRISIS.values():
        assert text in body


def test_the_agencys_crisis_contact_is_on_every_page(agency, settings):
    settings.ATTUNE_CRISIS_CONTACT = "Crisis line 988"
    body = open_in(agency.link_token, "es").get("/c/").content.decode()
    assert "También puede llamar a:" in body and "Crisis line 988" in body


def test_changing_language_keeps_the_client_on_the_same_page(agency):
    send_checkin(agency.client_a)  # unrelated link: the open one stays the check-in below
    sent = send_checkin(agency.client_a)
    http = open_in(sent.url.rsplit("/c/", 1)[1].strip("/"), "en")
    assert "How are things going for you?" in http.get("/c/").content.decode()
    assert http.post("/c/language/", {"language": "ar"})["Location"] == "/c/"
    body = http.get("/c/").content.decode()
    assert '<html lang="ar" dir="rtl">' in body and 'name="p1-' in body
    assert Client.objects.get(pk=agency.client_a.pk).page_language == "ar"


def test_an_unknown_language_changes_nothing(agency):
    http = open_in(agency.link_token, "es")
    http.post("/c/language/", {"language": "xx"})
    assert '<html lang="es"' in http.get("/c/").content.decode()


def phq9_posted(item9: str) -> dict:
    answers = {f"p1-phq9-{n}": PHQ9_CODES[0] for n in range(1, 9)}
    return {**answers, "p1-phq9-9": item9}


@pytest.mark.parametrize("language", LANGUAGES)
def test_after_a_safety_answer_the_client_is_told_what_to_do_now(agency, settings, language):
    settings.ATTUNE_CRISIS_CONTACT = "Crisis line 988"
    sent = send_checkin(agency.client_a, instrument_name="phq9")
    http = open_in(sent.url.rsplit("/c/", 1)[1].strip("/"), language)
    assert http.post("/c/", phq9_posted(PHQ9_CODES[1])).status_code == 302
    body = http.get("/c/").content.decode()
    assert 'role="alert"' in body
    assert SAFETY_HEADING[language] in body
    assert "Crisis line 988" in body
    assert_help_around(body, language)


def test_no_safety_message_when_the_safety_item_is_answered_not_at_all(agency):
    sent = send_checkin(agency.client_a, instrument_name="phq9")
    http = open_in(sent.url.rsplit("/c/", 1)[1].strip("/"), "en")
    assert http.post("/c/", phq9_posted(PHQ9_CODES[0])).status_code == 302
    body = http.get("/c/").content.decode()
    assert SAFETY_HEADING["en"] not in body
    assert CRISIS["en"] in body  # the everyday crisis help stays


def test_the_profile_page_offers_languages_by_their_own_names(agency):
    body = open_in(agency.link_token, "ar").get("/c/").content.decode()
    assert '<select name="preferred_language"' in body
    assert '<option value="es" selected lang="es">Español</option>' in body
    assert '<option value="vi" lang="vi">Tiếng Việt</option>' in body
    assert 'list="language-suggestions"' not in body


def test_the_invitation_names_the_agency_its_contact_and_crisis_help(agency, settings):
    settings.ATTUNE_AGENCY_NAME = "Riverside Counselling"
    settings.ATTUNE_AGENCY_CONTACT = "Front desk 555-0100"
    settings.ATTUNE_CRISIS_CONTACT = "Crisis line 988"
    from attune.measures.invitations import deliver_invitation

    mail.outbox.clear()
    client = agency.client_a  # prefers Spanish
    from django.utils import timezone

    deliver_invitation(client_id=client.pk, url="http://testserver/c/x/", expires_at=timezone.now())
    message = mail.outbox[-1]
    assert message.subject == "Riverside Counselling le invita a dar su opinión"
    assert "Attune" not in message.body
    assert "Para comunicarse con Riverside Counselling: Front desk 555-0100" in message.body
    assert CRISIS["es"] in message.body and "Crisis line 988" in message.body


def test_the_identity_page_suggests_languages_by_their_own_names(agency):
    issued = link_issue(
        actor=Actor(user=agency.therapist_a),
        client=agency.client_a,
        purpose=LinkPurpose.SELF_IDENTIFICATION,
    )
    body = open_in(issued.token, "es").get("/c/").content.decode()
    assert '<option value="vi">Tiếng Việt</option>' in body
    assert '<option value="ko">한국어</option>' in body
