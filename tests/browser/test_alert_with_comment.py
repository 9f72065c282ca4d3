"""A low check-in with a comment, answered on a phone, is one alert on the therapist's Today with
the client's words beside it; the page passes axe-core."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import save_screenshot
from tests.browser.test_pages import assert_accessible, sign_in
from tests.measures.checkins import answered_checkin, send_checkin

pytestmark = pytest.mark.django_db(transaction=True)
WORDS = "I felt rushed and not listened to."


def test_a_low_check_in_with_a_comment_is_one_alert_on_today_with_the_words(
    agency, live_server, desktop, phone
):
    for _ in range(3):  # the client's usual, so the low one is also a drop from it
        answered_checkin(agency.client_a, 9)
    sent = send_checkin(agency.client_a)
    link = sent.url.replace("http://testserver", live_server.url)

    phone.goto(link)
    phone.get_by_role("button", name="English").tap()
    phone.get_by_role("heading", name="How are things going for you?").wait_for()
    for fieldset in phone.locator("fieldset.scale").all():
        fieldset.get_by_label("2", exact=True).check()
    phone.get_by_label("Is there anything you would like your therapist to know").fill(WORDS)
    phone.get_by_role("button", name="Send to my therapist").tap()
    phone.get_by_role("heading", name=re.compile("Thank you")).wait_for()

    sign_in(desktop, live_server, "ana")
    assert desktop.url.endswith("/today/")
    heading = desktop.get_by_role("heading", name=re.compile(r"^Possible ruptures"))
    assert heading.inner_text() == "Possible ruptures (1)"
    panel = desktop.locator("section.today-panel").filter(has=heading)
    alerts = panel.locator("li.today-signal")
    assert alerts.count() == 1  # below the threshold, below usual, humility low: one alert
    alert = alerts.first
    text = alert.inner_text()
    assert WORDS in text
    for reason in (
        "Below the low check-in threshold",
        "Lower than the client's usual",
        "Cultural-humility rating low",
    ):
        assert reason in text
    assert "respected-values" not in text
    assert alert.get_by_role("button", name=re.compile("^Acknowledge")).count() == 1
    assert alert.get_by_role("link", name=re.compile("^Open a repair log")).count() == 1
    assert_accessible(desktop)
    save_screenshot(desktop, "today-alert-with-comment")

    # Acknowledged in place, it stays one alert with its words.
    alert.get_by_role("button", name=re.compile("^Acknowledge")).click()
    desktop.get_by_text("Acknowledged.").wait_for()
    assert panel.locator("li.today-signal").count() == 1
    assert WORDS in panel.locator("li.today-signal").first.inner_text()

    # The client's next check-in is back at their usual: closing is offered, never done alone.
    answered_checkin(agency.client_a, 9)
    desktop.goto(f"{live_server.url}/today/")
    alert = desktop.locator("li.today-signal").first
    assert "Back to usual since" in alert.inner_text()
    assert_accessible(desktop)
    alert.get_by_role("button", name=re.compile("^Close this alert")).click()
    desktop.get_by_text("Closed. It stays in the client's measures history.").wait_for()
    assert desktop.get_by_role("heading", name="Possible ruptures (0)").count() == 1
