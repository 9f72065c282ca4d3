"""The client tells, through a private link and in their language, how a referral went."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.clients.models import ClientLink
from attune.community import services
from attune.community.models import ReferralFeedback

from .builders import make_partner, make_referral

ANSWERS = {"helpful": "yes", "respected": "partly", "comment": "La recepción fue fría."}


def open_link(token: str, language: str = "es") -> HttpClient:
    browser = HttpClient()
    assert browser.get(f"/c/{token}/").status_code == 302
    browser.post(reverse("clients:client_language"), {"language": language})
    return browser


def issued_referral(agency):
    referral = make_referral(
        agency.therapist_a, agency.client_a, make_partner(agency.leader, name="Casa Luz")
    )
    issued = services.referral_feedback_link_issue(
        actor=Actor(user=agency.therapist_a), referral=referral
    )
    return referral, issued


def test_it_issues_a_link_from_the_referral_page(agency, client):
    referral = make_referral(agency.therapist_a, agency.client_a, make_partner(agency.leader))
    client.force_login(agency.therapist_a)
    page = client.post(reverse("community:referral_link", args=[referral.pk])).content.decode()
    assert "/c/" in page
    referral.refresh_from_db()
    assert referral.feedback_link.purpose == services.REFERRAL_FEEDBACK


def test_it_asks_the_client_in_spanish_and_stores_their_answer(agency):
    referral, issued = issued_referral(agency)
    browser = open_link(issued.token, "es")
    page = browser.get(reverse("clients:client_home")).content.decode()
    assert "¿Le ayudó esta organización?" in page
    assert "Casa Luz" in page
    response = browser.post(reverse("clients:client_home"), ANSWERS)
    assert response.status_code == 302
    feedback = ReferralFeedback.objects.get(referral=referral)
    assert (feedback.helpful, feedback.respected) == ("yes", "partly")
    assert feedback.comment == "La recepción fue fría."
    entry = AccessEvent.objects.get(object_type="referral_feedback")
    assert (entry.client_ref, entry.link_ref) == (agency.client_a.pk, issued.link.pk)
    thanks = browser.get(reverse("clients:client_home")).content.decode()
    assert "Gracias" in thanks


def test_it_stores_a_double_submission_once(agency):
    referral, issued = issued_referral(agency)
    link = ClientLink.objects.get(pk=issued.link.pk)
    actor = Actor(link_id=link.pk)
    first = services.referral_feedback_submit(actor=actor, link=link, referral=referral, **ANSWERS)
    second = services.referral_feedback_submit(actor=actor, link=link, referral=referral, **ANSWERS)
    assert first is not None and second is None
    assert ReferralFeedback.objects.count() == 1


def test_it_asks_again_for_an_answer_it_needs(agency):
    _, issued = issued_referral(agency)
    browser = open_link(issued.token, "ar")
    page = browser.post(reverse("clients:client_home"), {"comment": "x"}).content.decode()
    assert 'dir="rtl"' in page
    assert "يُرجى اختيار إجابة" in page
    assert not ReferralFeedback.objects.exists()


def test_it_shows_the_therapist_the_clients_feedback(agency, client):
    referral, issued = issued_referral(agency)
    link = ClientLink.objects.get(pk=issued.link.pk)
    services.referral_feedback_submit(
        actor=Actor(link_id=link.pk), link=link, referral=referral, **ANSWERS
    )
    client.force_login(agency.therapist_a)
    page = client.get(reverse("community:referral_detail", args=[referral.pk])).content.decode()
    assert "La recepción fue fría." in page
    assert "Partly" in page


def test_it_says_when_there_is_no_referral_to_rate(agency):
    from attune.clients.services import link_issue

    issued = link_issue(
        actor=Actor(user=agency.therapist_a),
        client=agency.client_a,
        purpose=services.REFERRAL_FEEDBACK,
    )
    browser = open_link(issued.token, "en")
    page = browser.get(reverse("clients:client_home")).content.decode()
    assert "There is nothing to answer here" in page
