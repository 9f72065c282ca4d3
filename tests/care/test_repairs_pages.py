"""Repair-log pages: opening from a signal, bad input that keeps every typed word, two tabs,
closing twice, a supervisor's read-only view, and the trail of every read."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.care import services
from attune.care.models import RepairLog, RepairStatus
from attune.clients import services as client_services
from attune.clients.models import Client
from attune.measures.models import SignalState
from tests.care.repair_builders import open_log, rupture_signal, therapist_of
from tests.care.test_repairs_held import answered

pytestmark = pytest.mark.django_db

TYPED = "I made a joke about their accent; it landed badly."


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def new_log_form(**overrides) -> dict:
    today = timezone.localdate()
    return {
        "what_happened": TYPED,
        "client_impact": "They said they felt like a foreigner in the room.",
        "acknowledgement": "",
        "apology": "I'm sorry; that was hurtful.",
        "commitment": "",
        "occurred_on": today.isoformat(),
        "follow_up_on": (today + timedelta(days=7)).isoformat(),
        **overrides,
    }


def test_the_signals_page_offers_a_log_and_opening_it_acknowledges_the_signal(agency):
    signal = rupture_signal(agency.client_a)
    http = signed_in(agency.therapist_a)
    page = http.get(reverse("measures:signals")).content.decode()
    url = reverse("care:repair_from_signal", args=[signal.pk])
    assert url in page
    form_page = http.get(url).content.decode()
    assert 'name="occurred_on"' not in form_page
    # The alert's reasons, each by its label, the items by their words.
    for reason in signal.reasons:
        assert escape(reason["summary"]) in form_page
    assert "Lower than the client&#x27;s usual:" in form_page
    assert "respected-values" not in form_page
    fields = new_log_form()
    del fields["occurred_on"]
    response = http.post(url, fields)
    log = RepairLog.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "care:repair_detail", args=[log.pk]
    )
    assert log.signal == signal and log.apology == "I'm sorry; that was hurtful."
    signal.refresh_from_db()
    assert signal.state == SignalState.ACKNOWLEDGED
    # A second visit to the signal's button goes to the log rather than opening another.
    again = http.get(url)
    assert again.status_code == 302 and again["Location"].endswith(f"/repairs/{log.pk}/")


def test_a_safety_signal_does_not_open_a_repair_log(agency):
    from tests.measures.checkins import PHQ9_CODES, answer, phq9_answers, send_checkin

    sent = send_checkin(agency.client_a, instrument_name="phq9")
    (response,) = answer(sent, phq9_answers([PHQ9_CODES[0]] * 8 + [PHQ9_CODES[3]]))
    safety = response.signals.get(kind="safety")
    http = signed_in(agency.therapist_a)
    assert http.get(reverse("care:repair_from_signal", args=[safety.pk])).status_code == 404
    page = http.get(reverse("measures:signals")).content.decode()
    assert reverse("care:repair_from_signal", args=[safety.pk]) not in page


def test_a_closed_client_gets_a_clear_message_and_keeps_the_words(agency):
    client_services.client_close(actor=Actor.system(), client=agency.client_a, reason="completed")
    http = signed_in(agency.therapist_a)
    response = http.post(reverse("care:repair_new", args=[agency.client_a.pk]), new_log_form())
    body = response.content.decode()
    assert response.status_code == 200
    assert "episode of care is closed" in body and "What you wrote is still below" in body
    assert "I made a joke about their accent; it landed badly." in body.replace("&#x27;", "'")
    assert not RepairLog.objects.exists()


def test_a_transferred_client_gets_a_404_that_gives_back_the_words_and_nothing_else(agency):
    Client.objects.filter(pk=agency.client_a.pk).update(therapist=agency.therapist_b)
    http = signed_in(agency.therapist_a)
    response = http.post(reverse("care:repair_new", args=[agency.client_a.pk]), new_log_form())
    body = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 404
    assert "not on your caseload" in body and TYPED in body
    assert agency.client_a.chosen_name not in body and agency.client_a.case_code not in body
    # The same page for a client that never existed: nothing is revealed.
    missing = http.post(reverse("care:repair_new", args=[999999]), new_log_form())
    assert missing.status_code == 404 and TYPED in missing.content.decode().replace("&#x27;", "'")
    assert not RepairLog.objects.exists()


def test_a_follow_up_date_in_the_past_is_explained_and_the_words_kept(agency):
    http = signed_in(agency.therapist_a)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = http.post(
        reverse("care:repair_new", args=[agency.client_a.pk]),
        new_log_form(follow_up_on=yesterday),
    )
    body = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert "The follow-up date is in the past" in body and TYPED in body
    assert not RepairLog.objects.exists()


def edit_form(log, version: int, **changes) -> dict:
    return {
        "what_happened": log.what_happened,
        "client_impact": log.client_impact,
        "acknowledgement": log.acknowledgement,
        "apology": log.apology,
        "commitment": log.commitment,
        "follow_up_on": log.follow_up_on.isoformat(),
        "version": version,
        **changes,
    }


def test_two_tabs_never_silently_overwrite_each_other(agency):
    log = open_log(agency.client_a)
    url = reverse("care:repair_edit", args=[log.pk])
    tab_one, tab_two = signed_in(agency.therapist_a), signed_in(agency.therapist_a)
    assert 'name="version" value="1"' in tab_one.get(url).content.decode()
    saved = tab_two.post(url, edit_form(log, 1, commitment="Check in at the start of sessions."))
    assert saved.status_code == 302
    refused = tab_one.post(url, edit_form(log, 1, commitment="Ask about the holidays."))
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "changed in another tab" in body
    assert "Ask about the holidays." in body  # what this tab typed, still in the form
    assert "Check in at the start of sessions." in body  # what the other tab saved
    assert 'name="version" value="2"' in body
    log.refresh_from_db()
    assert (log.commitment, log.version) == ("Check in at the start of sessions.", 2)
    # Saving again, with both in view, is a deliberate choice.
    again = tab_one.post(url, edit_form(log, 2, commitment="Ask about the holidays."))
    assert again.status_code == 302
    log.refresh_from_db()
    assert (log.commitment, log.version) == ("Ask about the holidays.", 3)


def test_closing_twice_says_so_and_changes_nothing(agency):
    log = open_log(agency.client_a)
    url = reverse("care:repair_close", args=[log.pk])
    today = timezone.localdate().isoformat()
    http = signed_in(agency.therapist_a)
    first = http.post(url, {"outcome": "held", "closed_on": today, "note": "Talked it through."})
    assert first.status_code == 302
    second = http.post(url, {"outcome": "not_held", "closed_on": today, "note": "Second tab"})
    body = second.content.decode()
    assert second.status_code == 200
    assert "Nothing changed: this log was already closed (repair held)" in body
    assert "Second tab" in body
    log.refresh_from_db()
    assert log.status == RepairStatus.HELD and log.close_note == "Talked it through."


def test_closing_without_an_outcome_keeps_the_note(agency):
    log = open_log(agency.client_a)
    http = signed_in(agency.therapist_a)
    response = http.post(
        reverse("care:repair_close", args=[log.pk]),
        {"closed_on": timezone.localdate().isoformat(), "note": "Unsure yet"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose how the repair turned out." in body and "Unsure yet" in body
    log.refresh_from_db()
    assert log.is_open


def test_the_log_shows_whether_it_held_and_suggests_but_does_not_decide(agency):
    log = open_log(agency.client_a, signal=rupture_signal(agency.client_a))
    answered(agency.client_a, 9, comment="It felt better this week.")
    body = signed_in(agency.therapist_a).get(reverse("care:repair_detail", args=[log.pk]))
    text = body.content.decode()
    assert "The client's baseline before the rupture: <strong>8</strong>" in text
    assert "Back to baseline (+1)" in text and "It felt better this week." in text
    assert "Suggestion: the repair seems to have held." in text
    assert re.search(r'<input[^>]*value="held"[^>]*checked', text)
    log.refresh_from_db()
    assert log.is_open


def test_a_supervisor_reads_the_log_without_changing_it_or_seeing_comments(agency):
    log = open_log(agency.client_a, signal=rupture_signal(agency.client_a))
    answered(agency.client_a, 9, comment="Private words for my therapist.")
    http = signed_in(agency.supervisor)
    response = http.get(reverse("care:repair_detail", args=[log.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert agency.client_a.case_code in body and "Read-only" in body
    assert "Private words" not in body
    assert reverse("care:repair_edit", args=[log.pk]) not in body
    assert reverse("care:repair_close", args=[log.pk]) not in body
    assert http.get(reverse("care:repair_edit", args=[log.pk])).status_code == 404
    listing = http.get(reverse("care:repair_list", args=[agency.client_a.pk])).content.decode()
    assert reverse("care:repair_detail", args=[log.pk]) in listing
    assert reverse("care:repair_new", args=[agency.client_a.pk]) not in listing
    event = AccessEvent.objects.filter(object_type="repair_log", action="view").latest("id")
    assert event.actor_id == agency.supervisor.pk and event.client_ref == agency.client_a.pk


def test_a_leader_never_sees_a_log(agency):
    log = open_log(agency.client_a)
    http = signed_in(agency.leader)
    for url in (
        reverse("care:repair_detail", args=[log.pk]),
        reverse("care:repair_list", args=[agency.client_a.pk]),
    ):
        assert http.get(url).status_code == 404


def test_every_read_is_in_the_trail(agency):
    log = open_log(agency.client_a)
    http = signed_in(agency.therapist_a)
    before = AccessEvent.objects.count()
    http.get(reverse("care:repair_detail", args=[log.pk]))
    http.get(reverse("care:repair_edit", args=[log.pk]))
    http.get(reverse("care:repair_list", args=[agency.client_a.pk]))
    reads = AccessEvent.objects.filter(section="repairs", action="view").order_by("id")
    assert AccessEvent.objects.count() - before == 3
    assert [event.client_ref for event in reads] == [agency.client_a.pk] * 3


def test_the_client_page_links_to_the_logs(agency):
    url = reverse("clients:client_detail", args=[agency.client_a.pk])
    mine = signed_in(agency.therapist_a).get(url).content.decode()
    assert reverse("care:repair_new", args=[agency.client_a.pk]) in mine
    supervisor = signed_in(agency.supervisor).get(url).content.decode()
    assert reverse("care:repair_list", args=[agency.client_a.pk]) in supervisor
    assert reverse("care:repair_new", args=[agency.client_a.pk]) not in supervisor


def test_an_edit_after_the_client_moved_to_another_therapist_keeps_the_words(agency):
    log = open_log(agency.client_a)
    Client.objects.filter(pk=agency.client_a.pk).update(therapist=agency.therapist_b)
    http = signed_in(agency.therapist_a)
    response = http.post(
        reverse("care:repair_edit", args=[log.pk]), edit_form(log, 1, commitment="Kept words")
    )
    assert response.status_code == 404 and "Kept words" in response.content.decode()
    log.refresh_from_db()
    assert log.version == 1
    assert services  # the services module is what the pages call
    assert therapist_of
