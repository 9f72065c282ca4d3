"""The pages a client opens through a private link: goals, agreement, their own view."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.utils import translation

from attune.access.actor import Actor
from attune.care import services
from attune.care.models import AdaptationFeedback, PlanAgreement, TreatmentPlan
from tests.care.builders import make_adaptation, make_plan
from tests.measures.checkins import answer, send_checkin, session_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_language_afterwards():
    # A client page activates the client's language for the thread; later tests expect English.
    yield
    translation.deactivate()


def open_link(issued, language: str = "en") -> HttpClient:
    http = HttpClient()
    assert http.get(f"/c/{issued.token}/").status_code == 302
    assert http.post("/c/language/", {"language": language}).status_code == 302
    return http


def issue(client, purpose):
    return services.plan_link_issue(
        actor=Actor(user=client.therapist), client=client, purpose=purpose
    )


def test_the_client_agrees_and_a_second_submission_keeps_the_first_answer(agency):
    make_plan(agency.client_a, "Sleep better")
    http = open_link(issue(agency.client_a, "plan_agreement"))
    page = http.get("/c/").content.decode()
    assert "Sleep better" in page and "Does this plan reflect what you want?" in page
    assert "framing" not in page.lower()
    first = http.post("/c/", {"plan_version": 1, "answer": "agree", "comment": "Yes"})
    assert first.status_code == 302
    second = http.post("/c/", {"plan_version": 1, "answer": "not_yet", "comment": "No"})
    assert "Thank you" in second.content.decode() or second.status_code == 409
    (agreement,) = PlanAgreement.objects.all()
    assert (agreement.answer, agreement.comment) == ("agree", "Yes")


def test_not_yet_without_what_should_change_keeps_the_page_and_stores_nothing(agency):
    make_plan(agency.client_a)
    http = open_link(issue(agency.client_a, "plan_agreement"))
    response = http.post("/c/", {"plan_version": 1, "answer": "not_yet", "comment": ""})
    assert response.status_code == 200
    assert "Tell us what should change" in response.content.decode()
    assert not PlanAgreement.objects.exists()


def test_the_agreement_page_shows_the_newest_plan_when_it_changed_meanwhile(agency):
    make_plan(agency.client_a, "Old goal")
    http = open_link(issue(agency.client_a, "plan_agreement"))
    make_plan(agency.client_a, "New goal")
    response = http.post("/c/", {"plan_version": 1, "answer": "agree", "comment": ""})
    body = response.content.decode()
    assert "Your plan was changed while you were reading" in body and "New goal" in body
    assert not PlanAgreement.objects.exists()
    assert http.post("/c/", {"plan_version": 2, "answer": "agree"}).status_code == 302
    assert PlanAgreement.objects.get().plan.version == 2


def test_the_client_writes_their_goals_in_spanish(agency):
    make_plan(agency.client_a, "Dormir mejor", framing="Insomnio")
    http = open_link(issue(agency.client_a, "plan_goals"), language="es")
    page = http.get("/c/").content.decode()
    assert "Dormir mejor" in page and "Insomnio" not in page
    response = http.post(
        "/c/",
        {"based_on": 1, "words_1": "Dormir mejor", "signs_1": "", "words_2": "Bailar otra vez"},
    )
    assert response.status_code == 302
    plan = TreatmentPlan.objects.get(superseded_at__isnull=True)
    assert plan.written_by_client and plan.goal_words == ["Dormir mejor", "Bailar otra vez"]
    assert plan.goals[0]["framing"] == "Insomnio"


def test_the_client_goals_form_keeps_what_was_typed_on_error(agency):
    http = open_link(issue(agency.client_a, "plan_goals"))
    response = http.post("/c/", {"based_on": "", "words_1": "", "signs_1": "Mis propias palabras"})
    assert response.status_code == 200
    assert "Mis propias palabras" in response.content.decode()
    assert not TreatmentPlan.objects.exists()


def test_the_client_view_shows_only_what_was_chosen(agency):
    make_plan(agency.client_a, "Find my voice")
    answer(send_checkin(agency.client_a), session_answers(8))
    therapist = Actor(user=agency.therapist_a)
    services.client_view_set(
        actor=therapist, client=agency.client_a, mode="plan", chosen_with_client=True
    )
    http = open_link(issue(agency.client_a, "client_view"))
    page = http.get("/c/").content.decode()
    assert "Find my voice" in page and "Your check-ins" not in page
    services.client_view_set(
        actor=therapist, client=agency.client_a, mode="plan_and_checkins", chosen_with_client=True
    )
    page = http.get("/c/").content.decode()
    assert "Your check-ins" in page and "8.0 of 10" in page
    assert http.get("/c/").status_code == 200  # the view link is not used up by reading


def test_a_client_view_link_made_from_the_client_page_says_the_page_is_off(agency):
    from attune.clients.services import link_issue

    make_plan(agency.client_a, "Hidden goal")
    issued = link_issue(
        actor=Actor(user=agency.therapist_a), client=agency.client_a, purpose="client_view"
    )
    page = open_link(issued).get("/c/").content.decode()
    assert "This page is turned off" in page and "Hidden goal" not in page


def test_the_client_rates_adaptations_once(agency):
    language = make_adaptation(agency.client_a, what="Sessions in Spanish")
    family = make_adaptation(agency.client_a, area="family", what="My mother joins")
    issued = services.adaptation_feedback_link_issue(
        actor=Actor(user=agency.therapist_a), client=agency.client_a
    )
    http = open_link(issued)
    assert "My mother joins" in http.get("/c/").content.decode()
    empty = http.post("/c/", {})
    assert "Answer at least one question" in empty.content.decode()
    data = {f"fit_{language.pk}": "fits", f"comment_{family.pk}": "Not every time, please"}
    assert http.post("/c/", data).status_code == 302
    http.post("/c/", {f"fit_{family.pk}": "does_not_fit"})
    rows = {row.adaptation_id: row for row in AdaptationFeedback.objects.all()}
    assert set(rows) == {language.pk, family.pk}
    assert rows[language.pk].fit == "fits" and rows[family.pk].fit == ""
    assert all(row.from_client_link for row in rows.values())


def test_the_agreement_page_is_in_arabic_with_the_clients_words_untouched(agency):
    make_plan(agency.client_a, "Sleep better")
    http = open_link(issue(agency.client_a, "plan_agreement"), language="ar")
    page = http.get("/c/").content.decode()
    assert 'dir="rtl"' in page and "هل تعبّر هذه الخطة عمّا يهمّك الوصول إليه؟" in page
    assert "Sleep better" in page
