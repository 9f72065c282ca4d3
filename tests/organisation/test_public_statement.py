"""The public access statement: no sign-in, built from the assessment and partners, in en/es/ar."""

from __future__ import annotations

from django.urls import reverse

from attune.access.actor import Actor
from attune.organisation import services
from tests.community.builders import make_partner

from .builders import make_assessment


def answer(item, status, leader):
    services.assessment_item_answer(
        actor=Actor(user=leader),
        item=item,
        status=status,
        notes="",
        evidence_links="",
        assessed_on=None,
    )


def published(agency):
    assessment = make_assessment(
        agency.leader, languages_served="en, es", public_contact="Front desk: 555-0100"
    )
    answer(assessment.items.get(key="sliding-scale"), "met", agency.leader)
    answer(assessment.items.get(key="physical-access"), "not_met", agency.leader)
    make_partner(
        agency.leader, name="Voces Interpreters", kinds=["interpreter"], languages="ar, so"
    )
    make_partner(agency.leader, name="Peer circle", kinds=["peer"], languages="vi")
    return assessment


def test_it_needs_no_sign_in_and_shows_languages_fees_and_contact(agency, client):
    published(agency)
    page = client.get(reverse("organisation:public_statement_in", args=["en"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Language"] == "en"
    assert "Our fees follow a sliding scale." in body
    assert "Spanish" in body and "Arabic" in body and "Somali" in body
    assert "Vietnamese" not in body  # a peer group, not interpreters
    assert "step-free" not in body  # not met, so not promised
    assert "Tell us what you need to get into" in body
    assert "Front desk: 555-0100" in body


def test_it_speaks_spanish(agency, client):
    published(agency)
    body = client.get(reverse("organisation:public_statement_in", args=["es"])).content.decode()
    assert '<html lang="es" dir="ltr">' in body
    assert "Nuestras tarifas son variables." in body
    assert "Idiomas e intérpretes" in body
    assert "español" in body.lower()


def test_it_reads_right_to_left_in_arabic(agency, client):
    published(agency)
    body = client.get(reverse("organisation:public_statement_in", args=["ar"])).content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert "تتغيّر رسومنا حسب قدرتك على الدفع." in body
    assert "اللغات والمترجمون" in body


def test_it_falls_back_to_english_for_a_sentence_not_translated(agency, client):
    published(agency)
    assessment = make_assessment(agency.leader, title="Later")
    answer(assessment.items.get(key="physical-access"), "partly", agency.leader)
    body = client.get(reverse("organisation:public_statement_in", args=["es"])).content.decode()
    assert '<p lang="en" dir="auto">Our building has a step-free entrance.' in body
    assert "Todavía estamos trabajando en esto." in body


def test_it_follows_the_browser_language(agency, client):
    body = client.get(
        reverse("organisation:public_statement"), HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert 'dir="rtl"' in body


def test_it_says_something_useful_before_any_assessment(client, db):
    body = client.get(reverse("organisation:public_statement")).content.decode()
    assert "Ask us which languages we can offer." in body


def test_it_speaks_from_the_newest_completed_assessment(agency, client):
    from datetime import date

    assessment = published(agency)
    services.assessment_update(
        actor=Actor(user=agency.leader),
        assessment=assessment,
        title=assessment.title,
        languages_served=assessment.languages_served,
        public_contact=assessment.public_contact,
        completed_on=date(2026, 3, 20),
    )
    make_assessment(agency.leader, title="Just started", started_on=date(2026, 9, 1))
    body = client.get(reverse("organisation:public_statement_in", args=["en"])).content.decode()
    assert "Our fees follow a sliding scale." in body
