"""A long check-in on a phone: page by page, back keeps answers, the page closed and the link
opened again resumes where the client stopped, an error keeps the answers, one response.
Every page passes axe-core."""

from __future__ import annotations

import re

import pytest

from attune.measures.models import CheckInDraft, Response
from tests.browser.conftest import PHONE
from tests.browser.test_pages import assert_accessible
from tests.measures.test_checkin_drafts import send_long

pytestmark = pytest.mark.django_db(transaction=True)


def question(page, text: str):
    return page.locator("fieldset").filter(has_text=text)


def test_a_long_checkin_is_answered_in_pages_and_resumed_on_a_phone(
    agency, live_server, browser, phone
):
    sent = send_long(agency.client_a)
    link = sent.url.replace("http://testserver", live_server.url)
    phone.goto(link)
    phone.get_by_role("button", name="English").tap()
    phone.get_by_text("Page 1 of 4.").wait_for()
    assert_accessible(phone)
    question(phone, "I slept well.").get_by_label("Often").check()
    phone.get_by_role("button", name="Save and continue").tap()

    phone.get_by_text("Page 2 of 4.").wait_for()
    assert_accessible(phone)
    question(phone, "I talked with someone I trust.").get_by_label("Always").check()
    phone.get_by_role("button", name="Back").tap()
    phone.get_by_text("Page 1 of 4.").wait_for()
    assert question(phone, "I slept well.").get_by_label("Often").is_checked()
    phone.get_by_role("button", name="Save and continue").tap()
    phone.get_by_text("Page 2 of 4.").wait_for()
    assert question(phone, "I talked with someone I trust.").get_by_label("Always").is_checked()
    phone.get_by_role("button", name="Save and continue").tap()
    phone.get_by_text("Page 3 of 4.").wait_for()
    phone.context.close()  # the client closes the page

    later = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    later.goto(link)  # the same link, later: the language was remembered
    later.get_by_text("Page 3 of 4.").wait_for()
    assert_accessible(later)
    later.get_by_role("button", name="Save and continue").tap()
    later.get_by_text("Page 4 of 4.").wait_for()
    later.get_by_label("About how many hours do you sleep a night?").fill("30")
    later.get_by_label("Is there anything else you would like your therapist to know?").fill(
        "Mornings are hard."
    )
    later.get_by_role("button", name="Send to my therapist").tap()
    later.locator(".error-summary").wait_for()
    assert (
        later.get_by_label(
            "Is there anything else you would like your therapist to know?"
        ).input_value()
        == "Mornings are hard."
    )
    assert_accessible(later)
    later.get_by_label("About how many hours do you sleep a night?").fill("7")
    later.get_by_role("button", name="Send to my therapist").tap()
    later.get_by_role("heading", name=re.compile("Thank you")).wait_for()
    assert_accessible(later)
    later.context.close()

    response = Response.objects.get()
    assert response.answers["d1"] == "often" and response.answers["p1"] == "always"
    assert response.answers["sleep-hours"] == 7
    assert response.answers["note"] == "Mornings are hard."
    assert CheckInDraft.objects.count() == 0


def test_a_therapist_schedules_and_pauses_a_measure(agency, live_server, desktop):
    from attune.measures.models import CheckInSchedule
    from tests.browser.test_pages import sign_in

    sign_in(desktop, live_server, "ana")
    desktop.goto(f"{live_server.url}/clients/{agency.client_a.pk}/measures/")
    desktop.get_by_role("heading", name="Sent every few weeks").wait_for()
    assert_accessible(desktop)
    desktop.get_by_label("Measure:", exact=True).select_option(value="bundled:gad7")
    desktop.get_by_label("Every how many weeks").fill("0")
    desktop.get_by_role("button", name="Schedule this measure").click()
    desktop.locator(".error-summary").wait_for()
    assert_accessible(desktop)
    desktop.get_by_label("Every how many weeks").fill("4")
    desktop.locator("#id_schedule-other_language").check()  # the client reads Spanish
    desktop.get_by_role("button", name="Schedule this measure").click()
    desktop.get_by_text("Scheduled every 4 week(s)").wait_for()
    assert_accessible(desktop)
    desktop.get_by_role("button", name=re.compile("^Pause")).click()
    desktop.get_by_text("The schedule is paused.").wait_for()
    assert CheckInSchedule.objects.get().state == "paused"
