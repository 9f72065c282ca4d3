"""The client's check-in page: one screen, every question skippable, tampering refused."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from attune.clients.models import ClientLink
from attune.measures.models import Response
from tests.measures.checkins import RATINGS, send_checkin


def open_checkin(client, language: str = "en", goals=()):
    """Open a fresh check-in link of ``client`` in a browser that picked ``language``."""
    sent = send_checkin(client, goals=goals)
    http = HttpClient()
    token_path = sent.url.replace("http://testserver", "")
    assert http.get(token_path).status_code == 302
    http.post("/c/language/", {"language": language})
    return http, sent


def filled(value: int, **extra) -> dict:
    return {**{f"p1-{link_id}": str(value) for link_id in RATINGS}, **extra}


def test_it_shows_every_rating_as_a_labelled_radio_group(agency):
    http, _ = open_checkin(agency.client_a)
    body = http.get("/c/").content.decode()
    assert body.count("<fieldset") == len(RATINGS)
    assert "<legend>I felt heard and understood.</legend>" in body
    assert body.count('type="radio"') == 11 * len(RATINGS)
    assert "You can skip any question" in body
    assert "Your therapist will see your answers." in body


def test_it_stores_the_answers_and_thanks_the_client(agency):
    http, sent = open_checkin(agency.client_a)
    response = http.post("/c/", filled(9, **{"p1-comment": "Thank you"}))
    assert response.status_code == 302
    assert Response.objects.get().total == 9
    assert "Thank you" in http.get("/c/").content.decode()


def test_it_accepts_a_checkin_with_every_question_skipped(agency):
    http, _ = open_checkin(agency.client_a)
    assert http.post("/c/", {}).status_code == 302
    stored = Response.objects.get()
    assert stored.total is None and stored.items_answered == 0


def test_it_stores_once_when_the_client_clicks_twice(agency):
    http, _ = open_checkin(agency.client_a)
    assert http.post("/c/", filled(9)).status_code == 302
    assert http.post("/c/", filled(3)).status_code == 200  # the thank-you page
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("tampered", "message"),
    [
        ({"p1-heard": "11"}, "Please choose one of the options shown."),
        ({"p1-heard": "-1"}, "Please choose one of the options shown."),
        ({"p1-heard": "ten"}, "Please choose one of the options shown."),
        ({"p1-comment": "x" * 2001}, "Please shorten this to 2000 characters or fewer."),
        ({"p1-invented": "5"}, "answers it does not ask for, so nothing was saved"),
        ({"p9-heard": "5"}, "answers it does not ask for, so nothing was saved"),
    ],
)
def test_it_refuses_a_tampered_form_and_keeps_the_answers(agency, tampered, message):
    http, sent = open_checkin(agency.client_a)
    response = http.post("/c/", {**filled(7), **tampered})
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert Response.objects.count() == 0
    assert ClientLink.objects.get(pk=sent.checkin.link_id).used_at is None


def test_it_keeps_the_answers_given_when_a_form_is_refused(agency):
    http, _ = open_checkin(agency.client_a)
    body = http.post("/c/", {**filled(7), "p1-heard": "12"}).content.decode()
    assert body.count("checked") == len(RATINGS) - 1


def test_it_asks_in_spanish_for_a_client_who_chose_spanish(agency):
    http, _ = open_checkin(agency.client_a, "es")
    body = http.get("/c/").content.decode()
    assert "Sentí que me escucharon y me comprendieron." in body
    assert "Puede saltarse cualquier pregunta" in body


def test_it_asks_the_checkin_in_arabic_right_to_left(agency):
    http, _ = open_checkin(agency.client_a, "ar")
    body = http.get("/c/").content.decode()
    assert 'dir="rtl"' in body
    assert "شعرت بأن ما قلته كان مسموعًا ومفهومًا." in body
    assert "I felt heard and understood." not in body


def test_it_asks_about_the_clients_own_goals_in_their_words(agency):
    http, _ = open_checkin(agency.client_a, goals=["Sleep through the night"])
    body = http.get("/c/").content.decode()
    assert "How far along am I with: Sleep through the night" in body
    http.post("/c/", {**filled(8), "p2-goal-1": "3"})
    assert Response.objects.get(instrument__name="goals-checkin").total == 3


def test_it_turns_a_bare_checkin_link_into_a_session_checkin(agency):
    from attune.access.actor import Actor
    from attune.clients.services import link_issue

    issued = link_issue(
        actor=Actor(user=agency.therapist_a), client=agency.client_a, purpose="checkin"
    )
    http = HttpClient()
    http.get(f"/c/{issued.token}/")
    http.post("/c/language/", {"language": "en"})
    assert "I felt heard and understood." in http.get("/c/").content.decode()
    assert http.post("/c/", filled(5)).status_code == 302
    assert Response.objects.get().total == 5


def test_it_says_the_link_has_expired_instead_of_losing_the_answers_silently(agency):
    from datetime import timedelta

    from django.utils import timezone

    http, sent = open_checkin(agency.client_a)
    expired = timezone.now() - timedelta(minutes=1)
    ClientLink.objects.filter(pk=sent.checkin.link_id).update(
        expires_at=expired, created_at=expired - timedelta(days=1)
    )
    response = http.post("/c/", filled(8))
    assert response.status_code == 404
    assert Response.objects.count() == 0
