"""The check-in loop in Chromium: a session held, the client answers on a phone, the therapist
sees the signal and acknowledges it.  Every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.browser.conftest import save_screenshot
from tests.browser.test_pages import assert_accessible, sign_in
from tests.measures.checkins import RATINGS

pytestmark = pytest.mark.django_db(transaction=True)
LEGENDS_EN = {
    "heard": "I felt heard and understood.",
    "curious": "My therapist was curious about my background instead of making assumptions.",
}


def mark_held_and_read_the_link(page, live_server, agency) -> str:
    sign_in(page, live_server, "ana")
    page.goto(f"{live_server.url}/clients/{agency.client_a.pk}/sessions/")
    assert_accessible(page)
    page.get_by_label("Date and time").fill("2026-12-01T10:30")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("Session scheduled.").wait_for()
    assert_accessible(page)  # with the held form and, for client A, the interpreter question
    page.get_by_label("A professional interpreter was there").check()
    page.get_by_label("Goals the client named (optional)").fill("Sleep through the night")
    page.get_by_role("button", name="Mark held and send the check-in").click()
    page.get_by_role("heading", name=re.compile("Session held with")).wait_for()
    assert_accessible(page)
    shown = page.get_by_label("Private check-in link").input_value()
    (message,) = mail.outbox
    emailed = re.search(r"http://\S+/c/\S+/", message.body).group(0)
    assert emailed == shown
    return emailed


def test_it_closes_the_loop_from_a_held_session_to_an_acknowledged_signal(
    agency, live_server, desktop, phone
):
    link = mark_held_and_read_the_link(desktop, live_server, agency)

    phone.goto(link)
    phone.get_by_role("button", name="English").tap()
    phone.get_by_role("heading", name="How are things going for you?").wait_for()
    assert_accessible(phone)
    save_screenshot(phone, "checkin-phone")
    for fieldset in phone.locator("fieldset.scale").all():
        fieldset.get_by_label("2", exact=True).check()
    phone.get_by_label("Is there anything you would like your therapist to know").fill(
        "I did not feel my faith was understood."
    )
    phone.get_by_role("button", name="Send to my therapist").tap()
    phone.get_by_role("heading", name=re.compile("Thank you")).wait_for()
    assert_accessible(phone)

    desktop.goto(f"{live_server.url}/signals/")
    signal = desktop.locator("article.signal").filter(has_text="below 6")
    assert "Session check-ins, oldest first: 2" in signal.inner_text()
    assert_accessible(desktop)
    save_screenshot(desktop, "signals")
    signal.get_by_role("button", name="Acknowledge").click()
    desktop.get_by_text("Acknowledged. It stays on this page").wait_for()
    assert "Status: Acknowledged" in signal.inner_text()
    assert_accessible(desktop)

    desktop.goto(f"{live_server.url}/clients/{agency.client_a.pk}/measures/")
    desktop.get_by_role("img", name=re.compile("How was today's session")).wait_for()
    assert desktop.get_by_role("table").first.get_by_role("cell", name="2", exact=True).count() == 1
    assert_accessible(desktop)


@pytest.mark.parametrize(
    ("button", "heading", "direction", "send"),
    [
        ("Español", "¿Cómo le van las cosas?", "ltr", "Enviar a mi terapeuta"),
        ("العربيّة", "كيف تسير أمورك؟", "rtl", "إرسال إلى من يعالجني"),
    ],
)
def test_it_asks_in_the_clients_language_and_keeps_answers_on_an_error(
    agency, live_server, phone, button, heading, direction, send
):
    from tests.measures.checkins import send_checkin

    sent = send_checkin(agency.client_a, goals=["Dormir mejor"])
    phone.goto(sent.url.replace("http://testserver", live_server.url))
    phone.get_by_role("button", name=button).tap()
    phone.get_by_role("heading", name=heading).wait_for()
    assert phone.locator("html").get_attribute("dir") == direction
    assert phone.locator("fieldset.scale").count() == len(RATINGS) + 1
    assert_accessible(phone)
    phone.locator("fieldset.scale").first.get_by_label("7", exact=True).check()
    # A number the scale does not offer, as a tampered or stale page would send.
    phone.locator("fieldset.scale").nth(1).locator("input").first.evaluate(
        "radio => { radio.value = '11'; radio.checked = true; }"
    )
    phone.get_by_role("button", name=send).tap()
    phone.locator(".error-summary").wait_for()
    assert phone.locator("fieldset.scale").first.get_by_label("7", exact=True).is_checked()
    assert_accessible(phone)
