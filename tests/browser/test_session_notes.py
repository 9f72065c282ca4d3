"""Session notes in Chromium: check the language privately, save, see the note and its versions.
Every page passes axe-core."""

from __future__ import annotations

import re

import pytest

from attune.care.models import SessionNote
from tests.browser.test_pages import assert_accessible, sign_in
from tests.care.note_builders import held_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_therapist_checks_and_saves_a_session_note(agency, live_server, desktop):
    session = held_session(agency.client_a)
    sign_in(desktop, live_server, "ana")
    desktop.goto(f"{live_server.url}/sessions/{session.pk}/note/write/")
    assert_accessible(desktop)
    desktop.locator("textarea").first.fill(
        "Client claims the medication does not help and refused to discuss it."
    )
    desktop.get_by_role("button", name="Check the language").click()
    desktop.get_by_role("heading", name="What the check found").wait_for()
    assert "Some wording to look at" in desktop.content()
    assert_accessible(desktop)
    assert SessionNote.objects.count() == 0  # checking stores nothing
    desktop.locator("textarea").first.fill(
        "The client said the medication does not help yet; we agreed to talk about it next week."
    )
    desktop.get_by_role("button", name="Save the note").click()
    desktop.wait_for_url(re.compile(rf"/sessions/{session.pk}/note/$"))
    assert_accessible(desktop)
    note = SessionNote.objects.get()
    assert note.word_count > 0
    desktop.goto(f"{live_server.url}/clients/{agency.client_a.pk}/notes/")
    assert_accessible(desktop)
    desktop.goto(f"{live_server.url}/sessions/{session.pk}/note/versions/")
    assert_accessible(desktop)
