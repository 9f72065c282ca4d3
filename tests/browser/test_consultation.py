"""Consultation in Chromium: a therapist previews, confirms and posts a de-identified case, a
supervisor replies; every page passes axe-core."""

from __future__ import annotations

import re

import pytest

from attune.supervision.models import CaseFeedback, CasePresentation, CaseStatus
from tests.browser.test_pages import assert_accessible, sign_in
from tests.supervision.consultation_builders import make_group

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_therapist_presents_a_case_and_a_supervisor_replies(agency, live_server, desktop):
    group = make_group(agency.leader, agency.therapist_a, agency.supervisor)
    sign_in(desktop, live_server, "ana")
    desktop.get_by_role("link", name="Consultation").click()
    desktop.get_by_role("link", name=group.name).click()
    assert_accessible(desktop)
    desktop.get_by_role("link", name="Present a case").click()
    assert_accessible(desktop)
    desktop.get_by_role("link", name="Zoë-Ann O'Brien").click()
    assert_accessible(desktop)
    desktop.get_by_label("Title").fill("Zoë-Ann and the family's expectations")
    desktop.get_by_label("Question for the group").fill(
        "How would you raise Zoe-Ann's hopes with an aunt who disagrees?"
    )
    desktop.get_by_label("Context").fill("Zoë-Ann (alpha@example.org) came on 12 March 2024.")
    desktop.get_by_role("button", name="Preview the de-identified text").click()
    desktop.get_by_role("heading", name="Check the de-identified case").wait_for()
    assert_accessible(desktop)
    shown = desktop.locator(".audit-text").inner_text()
    assert "Zo" not in shown and "alpha@example.org" not in shown and "12 March 2024" not in shown
    desktop.get_by_role("button", name=re.compile("Post to")).click()
    assert desktop.get_by_text("Confirm that you have read").count() >= 1
    desktop.get_by_label(re.compile("I have read the de-identified text")).check()
    desktop.get_by_role("button", name=re.compile("Post to")).click()
    desktop.get_by_role("heading", name="Question for the group").wait_for()
    assert_accessible(desktop)
    case = CasePresentation.objects.get(status=CaseStatus.POSTED)
    assert "Zo" not in case.title + case.question + case.context

    desktop.get_by_role("button", name="Sign out").click()
    sign_in(desktop, live_server, "sol")
    desktop.goto(f"{live_server.url}/supervision/consultation/cases/{case.pk}/")
    desktop.get_by_label("Your reply").fill("Is this Zoe-Ann?")
    desktop.get_by_role("button", name="Post reply").click()
    assert desktop.get_by_text("Nobody else has seen it").count() >= 1
    assert_accessible(desktop)
    desktop.get_by_label("Your reply").fill("What would a good outcome be for the family?")
    desktop.get_by_role("button", name="Post reply").click()
    desktop.get_by_text("Reply posted.").wait_for()
    assert CaseFeedback.objects.count() == 1
    assert "Zoe-Ann" not in desktop.content()
