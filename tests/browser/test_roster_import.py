"""A leader imports a roster file on a 360 px phone: upload, preview, confirm."""

from __future__ import annotations

import pytest

from attune.roster.models import ExternalIdentifier
from tests.browser.test_pages import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ROSTER = (
    "External ID;Chosen name;Pronouns;Language;Therapist username\n"
    "R-1;Quinn Example;they/them;es;ana\n"
    'R-2;"Sam; Example";he/him;;ana\n'
    "R-3;Ari Example;;;nobody\n"
)


def test_a_leader_previews_and_applies_a_roster_on_a_small_phone(
    agency, live_server, browser, tmp_path
):
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True)
    phone = context.new_page()
    try:
        sign_in(phone, live_server, "lee")
        phone.goto(f"{live_server.url}/roster/import/")
        phone.get_by_role("heading", name="Import a roster or schedule").wait_for()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(phone)

        path = tmp_path / "roster.csv"
        path.write_bytes(ROSTER.encode("cp1252"))
        phone.get_by_label("Roster (clients)").check()
        phone.get_by_label("CSV file").set_input_files(str(path))
        phone.get_by_role("button", name="Preview the changes").click()
        phone.get_by_text("A preview: nothing has changed yet.").wait_for()
        body = phone.locator("main").inner_text()
        assert "no active therapist has the username 'nobody'" in body
        assert "separated by semicolons" in body
        assert not ExternalIdentifier.objects.exists()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(phone)

        phone.get_by_label("Import the other rows and leave the rejected ones out").check()
        phone.get_by_role("button", name="Apply these changes").click()
        phone.get_by_text("Applied: 2 to create").wait_for()
        assert set(ExternalIdentifier.objects.values_list("value", flat=True)) == {"R-1", "R-2"}
        assert_accessible(phone)
    finally:
        context.close()
