"""Supervision in a real browser: a supervisee brings a reflection, the supervisor's agenda shows
it with the period's ruptures and repairs, and its PDF; the supervisee's feedback."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from attune.supervision.models import HumilityFeedback
from tests.browser.test_pages import assert_accessible, sign_in
from tests.supervision.builders import meeting, pair_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_shared_reflection_and_a_repair_reach_the_agenda_and_its_pdf(
    agency, live_server, desktop
):
    from tests.care.reflection_builders import write
    from tests.care.repair_builders import open_log, rupture_signal

    write(agency.therapist_a, "Who holds power when fees come up?", tags=["power"])
    write(agency.therapist_a, "A thought I keep to myself", tags=["assumption"])
    open_log(agency.client_a, signal=rupture_signal(agency.client_a))
    found = meeting(pair_of(agency.therapist_a), timezone.localdate() + timedelta(days=1))

    # The supervisee chooses, on the meeting's page, the one reflection to bring.
    sign_in(desktop, live_server, "ana")
    desktop.goto(f"{live_server.url}/supervision/meetings/{found.pk}/")
    assert_accessible(desktop)
    bring = desktop.locator(".bring-list > li").filter(has_text="Power")
    bring.get_by_role("button", name=re.compile("Bring it")).click()
    desktop.get_by_text("can now read this entry").wait_for()
    desktop.get_by_role("button", name="Sign out").click()

    sign_in(desktop, live_server, "sol")
    desktop.get_by_role("link", name="Meetings with Ana Therapist").click()
    assert_accessible(desktop)
    desktop.get_by_role("link", name=f"Agenda for {found.meets_on:%-d %B %Y}").click()
    desktop.wait_for_url(f"**/meetings/{found.pk}/agenda/")
    assert_accessible(desktop)
    contexts = desktop.locator("#section-contexts").inner_text()
    systemic = desktop.locator("#section-systemic").inner_text()
    ruptures = desktop.locator("#section-ruptures").inner_text()
    assert "No cultural formulation yet" in contexts and agency.client_a.case_code in contexts
    assert "A reflection shared for supervision" in systemic
    assert "A reflection shared for supervision" not in contexts  # the unshared one stays hers
    assert "Repair: open" in ruptures
    assert "possible rupture: below the low check-in threshold" in ruptures  # one line for both
    assert "Nothing in this period." in desktop.locator("#section-countertransference").inner_text()
    assert agency.client_a.chosen_name not in desktop.content()
    assert "A thought I keep to myself" not in desktop.content()
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="Download PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"


def test_a_supervisee_answers_the_feedback_form_once(agency, live_server, phone):
    sign_in(phone, live_server, "ana")
    phone.goto(f"{live_server.url}/supervision/mine/")
    assert_accessible(phone)
    phone.get_by_role("link", name="Give feedback on Sol Supervisor's supervision").click()
    assert_accessible(phone)
    assert "not a validated measure" in phone.content()
    for group in phone.locator("fieldset.question").all():
        group.get_by_label("3 – Mostly").check()
    phone.get_by_label("Anything else (optional)").fill("Feels safe to bring mistakes.")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Send my feedback").click()
    assert "answered for this half-year" in phone.content()
    assert_accessible(phone)
    assert HumilityFeedback.objects.get().answers["safe_mistakes"] == 3
