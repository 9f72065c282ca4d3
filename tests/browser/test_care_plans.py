"""The co-created plan in Chromium: a therapist writes it on a desktop, the client agrees on a
phone through a private link, and the therapist sees the agreement."""

from __future__ import annotations

import re

import pytest

from attune.care.models import PlanAgreement
from tests.browser.test_pages import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_plan_written_together_is_agreed_by_the_client_on_a_phone(
    agency, live_server, desktop, phone
):
    sign_in(desktop, live_server, "ana")
    desktop.goto(f"{live_server.url}/clients/{agency.client_a.pk}/")
    desktop.get_by_role("link", name="Open the plan").click()
    desktop.get_by_role("heading", name=re.compile("Plan of")).wait_for()
    assert_accessible(desktop)
    desktop.get_by_role("link", name="Write the plan together").click()
    assert_accessible(desktop)
    desktop.get_by_label("Goal 1, in the client's own words").fill("Sentirme en casa aquí")
    desktop.get_by_label("How the client will know it is getting better").first.fill(
        "I laugh with my neighbours"
    )
    desktop.get_by_label(re.compile("Your clinical framing")).first.fill("Acculturative stress")
    desktop.get_by_label("Goal 2, in the client's own words").fill("Sleep through the night")
    desktop.get_by_label("Review together on").fill("2026-12-15")
    desktop.get_by_role("button", name="Save as a new version").click()
    desktop.get_by_text("Saved as version 1").wait_for()
    assert "Not asked yet" in desktop.content()
    assert_accessible(desktop)

    desktop.locator("#plan-link-purpose").select_option("plan_agreement")
    desktop.get_by_role("button", name="Create a link").click()
    url = desktop.get_by_label("Private link").input_value()
    assert_accessible(desktop)

    phone.goto(url)
    phone.get_by_role("button", name="English").tap()
    phone.get_by_role("heading", name="Does this plan reflect what you want?").wait_for()
    assert "Sentirme en casa aquí" in phone.content()
    assert "Acculturative" not in phone.content()
    assert_accessible(phone)
    phone.get_by_role("button", name="Send").tap()  # nothing chosen: the page says so
    phone.get_by_role("alert").wait_for()
    assert_accessible(phone)
    phone.get_by_label("Yes, this plan reflects what I want").check()
    phone.get_by_label(re.compile("Anything you want to add")).fill("Me gusta así")
    phone.get_by_role("button", name="Send").tap()
    phone.get_by_role("heading", name=re.compile("Thank you")).wait_for()
    assert_accessible(phone)

    desktop.goto(f"{live_server.url}/clients/{agency.client_a.pk}/plan/")
    assert desktop.get_by_text(re.compile("Agreed — to version 1")).count() == 1
    assert "Me gusta así" in desktop.content()
    assert_accessible(desktop)
    assert PlanAgreement.objects.get().answer == "agree"


def test_the_clients_own_page_reads_right_to_left_in_arabic(agency, live_server, phone):
    from attune.access.actor import Actor
    from attune.care import services
    from tests.care.builders import make_plan
    from tests.measures.checkins import answer, send_checkin, session_answers

    make_plan(agency.client_a, "أن أنام جيدًا")
    answer(send_checkin(agency.client_a), session_answers(6))
    therapist = Actor(user=agency.therapist_a)
    services.client_view_set(
        actor=therapist, client=agency.client_a, mode="plan_and_checkins", chosen_with_client=True
    )
    issued = services.plan_link_issue(
        actor=therapist, client=agency.client_a, purpose="client_view"
    )
    phone.goto(f"{live_server.url}/c/{issued.token}/")
    phone.get_by_role("button", name="العربيّة").tap()
    phone.get_by_role("table").wait_for()
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert "أن أنام جيدًا" in phone.content()
    assert_accessible(phone)


def test_it_passes_axe_on_every_plan_and_adaptation_page(agency, live_server, desktop, phone):
    from attune.access.actor import Actor
    from attune.care import services
    from tests.care.builders import make_adaptation, make_plan

    make_plan(agency.client_a, "Speak up at work", "Call my sister")
    adaptation = make_adaptation(agency.client_a)
    client = agency.client_a.pk
    sign_in(desktop, live_server, "ana")
    for path in (
        f"/clients/{client}/plan/history/",
        f"/clients/{client}/plan/edit/",
        f"/clients/{client}/adaptations/",
        f"/clients/{client}/adaptations/new/",
        f"/adaptations/{adaptation.pk}/edit/",
        f"/adaptations/{adaptation.pk}/feedback/",
        f"/clients/{client}/sessions/",
    ):
        assert desktop.goto(f"{live_server.url}{path}").status == 200, path
        assert_accessible(desktop)
    therapist = Actor(user=agency.therapist_a)
    for issued in (
        services.plan_link_issue(actor=therapist, client=agency.client_a, purpose="plan_goals"),
        services.adaptation_feedback_link_issue(actor=therapist, client=agency.client_a),
    ):
        phone.goto(f"{live_server.url}/c/{issued.token}/")
        if phone.get_by_role("button", name="Español").count():
            phone.get_by_role("button", name="Español").tap()
        phone.get_by_role("button", name="Enviar").or_(
            phone.get_by_role("button", name=re.compile("Guardar|Save"))
        ).first.wait_for()
        assert_accessible(phone)
