"""The repair loop in Chromium: a low check-in on the client's phone, a rupture signal on the
therapist's "Today", a repair log opened from it, the next check-in back at baseline, and the log
closed as held.  Every page
passes axe-core."""

from __future__ import annotations

import re

import pytest

from attune.care.models import RepairLog, RepairStatus
from attune.measures.models import SignalState
from tests.browser.test_pages import assert_accessible, sign_in
from tests.care.repair_builders import history
from tests.measures.checkins import send_checkin

pytestmark = pytest.mark.django_db(transaction=True)


def answer_on_the_phone(phone, live_server, client, rating: str, comment: str) -> None:
    sent = send_checkin(client)
    phone.goto(sent.url.replace("http://testserver", live_server.url))
    english = phone.get_by_role("button", name="English")
    if english.count():
        english.tap()
    phone.get_by_role("heading", name="How are things going for you?").wait_for()
    assert_accessible(phone)
    for fieldset in phone.locator("fieldset.scale").all():
        fieldset.get_by_label(rating, exact=True).check()
    phone.get_by_label("Is there anything you would like your therapist to know").fill(comment)
    phone.get_by_role("button", name="Send to my therapist").tap()
    phone.get_by_role("heading", name=re.compile("Thank you")).wait_for()
    assert_accessible(phone)


def test_a_rupture_is_logged_repaired_and_closed_as_held(agency, live_server, desktop, phone):
    client = agency.client_a
    history(client, 8, 8, 8)  # the client's usual: a baseline of 8
    answer_on_the_phone(phone, live_server, client, "3", "You didn't ask about my family.")

    # The therapist's home page, "Today", shows the signal with the way to act on it.
    sign_in(desktop, live_server, "ana")
    assert desktop.url.endswith("/today/")
    rupture = desktop.locator("#today-ruptures + ul > li").filter(
        has_text="below this client's usual 8"
    )
    assert_accessible(desktop)
    rupture.get_by_role("link", name=re.compile("Open a repair log")).click()
    desktop.get_by_role("heading", name=re.compile("Open a repair log for")).wait_for()
    assert_accessible(desktop)
    desktop.get_by_label("What happened, in your words").fill(
        "I moved on from their family before they had finished."
    )
    desktop.get_by_label("Its impact, as the client described it").fill(
        "They felt their family did not matter here."
    )
    desktop.get_by_label("Your apology").fill("I'm sorry I moved on too fast.")
    desktop.get_by_label("What you commit to").fill("Ask before changing the subject.")
    desktop.get_by_role("button", name="Open the repair log").click()
    desktop.get_by_text("Repair log opened; the signal is acknowledged.").wait_for()
    assert "No session check-in has been answered since the log was opened." in (desktop.content())
    assert_accessible(desktop)
    log = RepairLog.objects.get()
    assert log.signal.state == SignalState.ACKNOWLEDGED

    answer_on_the_phone(phone, live_server, client, "8", "Thank you for asking about them.")

    # Back on "Today", the signal now leads to its repair log.
    desktop.goto(f"{live_server.url}/today/")
    rupture = desktop.locator("#today-ruptures + ul > li").filter(
        has_text="below this client's usual 8"
    )
    rupture.get_by_role("link", name=re.compile("Its repair log")).click()
    desktop.wait_for_url(re.compile(r"/repairs/\d+/$"))
    held = desktop.get_by_role("region", name="Did the repair hold?")
    assert "Back to baseline (+0)" in held.inner_text()
    assert "Thank you for asking about them." in held.inner_text()
    assert "Suggestion: the repair seems to have held." in held.inner_text()
    assert_accessible(desktop)
    assert desktop.get_by_label("Repair held").is_checked()  # suggested; the therapist decides
    desktop.get_by_label("Note (optional)").fill("We talked it over; they felt heard.")
    desktop.get_by_role("button", name="Close the repair log").click()
    desktop.get_by_text("Repair log closed.").wait_for()
    assert_accessible(desktop)
    log.refresh_from_db()
    assert log.status == RepairStatus.HELD
    assert "Repair held" in desktop.locator("dl.record").inner_text()
