"""The therapist's "Today" page in Chromium: one screen, actions in place through htmx."""

from __future__ import annotations

import pytest

from tests.browser.conftest import save_screenshot
from tests.browser.test_pages import assert_accessible, sign_in
from tests.conftest import PASSWORD
from tests.measures.checkins import answered_checkin, scheduled_session, send_checkin

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_therapist_acts_on_today_without_leaving_it(agency, live_server, desktop):
    session = scheduled_session(agency.client_a)
    answered_checkin(agency.client_a, 2)
    send_checkin(agency.client_a)
    sign_in(desktop, live_server, "ana")
    assert desktop.url.endswith("/today/")
    desktop.get_by_role("heading", name="Sessions today (1)").wait_for()
    assert_accessible(desktop)
    save_screenshot(desktop, "today")

    # Acknowledging swaps the page in place (htmx): no navigation, the message is announced.
    desktop.evaluate("window.__stayed = true")
    rupture = desktop.locator("#today-ruptures").locator("..")
    rupture.get_by_role("button", name="Acknowledge").first.click()
    desktop.get_by_text("Acknowledged.").wait_for()
    assert desktop.evaluate("window.__stayed === true")
    assert_accessible(desktop)

    # "Did not come" feeds the no-show figures: it opens a confirmation first.
    desktop.locator("summary", has_text="Did not come").click()
    session.refresh_from_db()
    assert session.status == "scheduled"
    assert_accessible(desktop)
    desktop.get_by_role("button", name="Yes, record it").click()
    desktop.locator("#messages").get_by_text("did not come").wait_for()
    assert desktop.evaluate("window.__stayed === true")
    session.refresh_from_db()
    assert session.status == "no_show"
    assert desktop.locator("summary", has_text="Did not come").count() == 0


def test_today_works_without_javascript(agency, live_server, browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    try:
        scheduled_session(agency.client_a)
        page.goto(f"{live_server.url}/sign-in/")  # axe needs JavaScript: the other test runs it
        page.get_by_label("Username").fill("ana")
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        page.locator("summary", has_text="Did not come").click()
        page.get_by_role("button", name="Yes, record it").click()
        page.locator("#messages").get_by_text("did not come").wait_for()
        assert page.url.endswith("/today/")
    finally:
        context.close()
