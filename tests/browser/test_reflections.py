"""The reflection journal in Chromium: a therapist reflects after a session, the supervisor
cannot see it until the therapist shares it.  Every page passes axe-core."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DESKTOP, save_screenshot
from tests.browser.test_pages import assert_accessible, sign_in
from tests.care.test_reflections import held_session

pytestmark = pytest.mark.django_db(transaction=True)
PHRASE = "I read her quiet as agreement"


def test_a_reflection_stays_private_until_the_therapist_shares_it(
    agency, live_server, desktop, browser
):
    held_session(agency.client_a)
    sign_in(desktop, live_server, "ana")
    desktop.goto(f"{live_server.url}/clients/{agency.client_a.pk}/sessions/")
    desktop.get_by_role("link", name="Reflect on this session").click()
    desktop.get_by_role("heading", name="Write a reflection").wait_for()
    assert_accessible(desktop)
    desktop.get_by_label(re.compile("what did they show me instead")).fill(PHRASE)
    desktop.get_by_label(re.compile("Where was power in the room")).fill(
        "I chose the time and the topic."
    )
    desktop.get_by_label("Assumption noticed").check()
    desktop.get_by_label("Power", exact=True).check()
    desktop.get_by_role("button", name="Save").click()
    desktop.get_by_text("Saved in your journal.").wait_for()
    assert PHRASE in desktop.content()
    assert_accessible(desktop)
    save_screenshot(desktop, "reflection-entry")
    entry_url = desktop.url

    supervisor_context = browser.new_context(viewport=DESKTOP)
    supervisor = supervisor_context.new_page()
    sign_in(supervisor, live_server, "sol")
    supervisor.get_by_role("link", name="Reflections").click()
    supervisor.get_by_role("heading", name="Reflections shared with you").wait_for()
    assert "Nothing is shared with you at present." in supervisor.content()
    assert_accessible(supervisor)
    response = supervisor.goto(entry_url)
    assert response.status == 404 and PHRASE not in supervisor.content()
    assert_accessible(supervisor)

    desktop.get_by_role("button", name="Share this entry").click()
    desktop.get_by_text("can now read this entry").wait_for()
    assert_accessible(desktop)

    supervisor.goto(f"{live_server.url}/reflections/shared/")
    supervisor.get_by_role("heading", name="Ana Therapist").wait_for()
    assert_accessible(supervisor)
    supervisor.get_by_role("link", name=re.compile(r"\d{4}, \d\d:\d\d")).click()
    supervisor.get_by_role("heading", name=re.compile("Reflection of")).wait_for()
    assert PHRASE in supervisor.content()
    assert_accessible(supervisor)

    desktop.get_by_role("button", name="Stop sharing with Sol Supervisor").click()
    desktop.get_by_text("The entry is private again.").wait_for()
    assert supervisor.goto(entry_url).status == 404
    supervisor_context.close()
