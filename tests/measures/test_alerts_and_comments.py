"""One alert per check-in, the same count everywhere, back to usual, and the client's words."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.clients import services as client_services
from attune.measures import services
from attune.measures.models import Response, Signal, SignalState
from tests.measures.checkins import PHQ9_CODES, answer, answered_checkin, phq9_answers, send_checkin

RUSHED = "I felt rushed and not listened to."


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    http.get("/healthz")
    return http


def page(user, url: str) -> str:
    response = signed_in(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def comment_reads(user, client) -> list[AccessEvent]:
    return list(
        AccessEvent.objects.filter(
            actor=user, client_ref=client.pk, section="checkin_comments", action="view"
        )
    )


def low_with_comment(agency):
    for _ in range(3):
        answered_checkin(agency.client_a, 9)
    (response,) = answered_checkin(agency.client_a, 2, comment=RUSHED)
    return response


# --- One alert per check-in -------------------------------------------------------------------


def test_today_shows_one_alert_for_one_low_check_in_with_its_reasons_and_words(agency):
    low_with_comment(agency)
    body = page(agency.therapist_a, "/today/")
    ruptures = body[body.index('id="today-ruptures"') : body.index('id="today-words"')]
    assert "Possible ruptures (1)" in ruptures
    assert ruptures.count("Acknowledge<span") == 1
    assert ruptures.count("Open a repair log") == 1
    for label in ("Below the low check-in threshold", "Lower than the client's usual"):
        assert escape(label) in ruptures
    assert escape(RUSHED) in ruptures
    assert "respected-values" not in body and "fully-myself" not in body
    assert escape("My therapist respected my values and beliefs") in ruptures


def test_the_count_is_the_same_on_today_the_caseload_and_the_signals_page(agency):
    other = client_services.client_create(
        actor=Actor.system(), therapist=agency.therapist_a, chosen_name="Third Client"
    )
    answered_checkin(agency.client_a, 2)
    answered_checkin(agency.client_a, 3)
    (low,) = answered_checkin(other, 1)
    services.signal_acknowledge(actor=Actor(user=agency.therapist_a), signal=low.signals.get())
    assert Signal.objects.count() == 3  # three low check-ins, three alerts
    today = page(agency.therapist_a, "/today/")
    caseload = page(agency.therapist_a, "/caseload/")
    signals = page(agency.therapist_a, "/signals/")
    assert "Possible ruptures (3)" in today
    assert "Possible ruptures (3)" in caseload
    assert "Possible ruptures (3)" in signals


def test_the_safety_alert_stays_apart_and_first(agency):
    answered_checkin(agency.client_a, 2)
    answer(
        send_checkin(agency.client_a, instrument_name="phq9"),
        phq9_answers([PHQ9_CODES[0]] * 8 + [PHQ9_CODES[2]]),
    )
    assert sorted(Signal.objects.values_list("kind", flat=True)) == ["rupture", "safety"]
    for url in ("/today/", "/signals/"):
        body = page(agency.therapist_a, url)
        assert "Safety first (1)" in body and "Possible ruptures (1)" in body
        assert body.index("Safety first (1)") < body.index("Possible ruptures (1)")
    assert "Safety first (1)" in page(agency.therapist_a, "/caseload/")


# --- Back to usual: offered for closing, never closed by itself --------------------------------


def test_an_alert_whose_later_check_ins_are_back_is_offered_for_closing(agency):
    low = low_with_comment(agency)
    body = page(agency.therapist_a, "/today/")
    assert "Back to usual since" not in body
    (later,) = answered_checkin(agency.client_a, 9)
    alert = low.signals.get()
    since = timezone.localtime(later.submitted_at)
    for url in ("/today/", "/signals/"):
        body = page(agency.therapist_a, url)
        assert f"Back to usual since {since.day} {since:%b}" in body
    alert.refresh_from_db()
    assert alert.state == SignalState.OPEN  # offered, never closed by itself
    response = signed_in(agency.therapist_a).post(
        f"/signals/{alert.pk}/close/",
        {"outcome": "resolved", "reason": "Back to usual.", "next": "/today/"},
    )
    assert response["Location"] == "/today/"
    alert.refresh_from_db()
    assert alert.state == SignalState.RESOLVED


def test_a_later_check_in_still_low_is_not_back(agency):
    low_with_comment(agency)
    answered_checkin(agency.client_a, 9)
    answered_checkin(agency.client_a, 4)  # its own alert, and the first is not back
    body = page(agency.therapist_a, "/signals/")
    assert "Back to usual since" not in body


# --- The client's words -----------------------------------------------------------------------


def test_today_shows_a_comment_that_came_with_an_alert_and_trails_the_read(agency):
    low_with_comment(agency)
    page(agency.therapist_a, "/today/")
    (read,) = comment_reads(agency.therapist_a, agency.client_a)
    assert "Today" in read.detail and RUSHED not in read.detail


def test_today_shows_new_comments_without_an_alert_and_not_old_ones(agency):
    (good,) = answered_checkin(agency.client_a, 9, comment="The breathing exercise helped.")
    (old,) = answered_checkin(agency.client_a, 9, comment="An old remark from last month.")
    Response.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=30))
    body = page(agency.therapist_a, "/today/")
    words = body[body.index('id="today-words"') :]
    assert "In clients' words (1)" in body
    assert "The breathing exercise helped." in words
    assert "An old remark" not in body
    assert escape(agency.client_a.chosen_name) in words
    assert comment_reads(agency.therapist_a, agency.client_a)
    assert str(good.pk) in comment_reads(agency.therapist_a, agency.client_a)[0].object_ref


def test_another_therapists_client_words_never_show(agency):
    answered_checkin(agency.client_b, 2, comment="Words for my own therapist only.")
    for url in ("/today/", "/signals/"):
        assert "Words for my own therapist only." not in page(agency.therapist_a, url)


def test_the_signals_page_shows_the_comment_beside_the_alert(agency):
    low_with_comment(agency)
    body = page(agency.therapist_a, "/signals/")
    assert escape(RUSHED) in body
    assert comment_reads(agency.therapist_a, agency.client_a)


def test_the_measures_page_shows_each_comment_beside_its_score(agency):
    low_with_comment(agency)
    answered_checkin(agency.client_a, 8, comment="Better this time.")
    body = page(agency.therapist_a, f"/clients/{agency.client_a.pk}/measures/")
    assert "In the client's words" in body
    assert escape(RUSHED) in body and "Better this time." in body
    assert body.index("<td>2</td>") < body.index(escape(RUSHED))
    read = AccessEvent.objects.filter(
        actor=agency.therapist_a, client_ref=agency.client_a.pk, section="measures"
    )
    assert read.exists()


def test_the_client_page_shows_their_latest_words_to_their_therapist(agency):
    low_with_comment(agency)
    body = page(agency.therapist_a, f"/clients/{agency.client_a.pk}/")
    assert "Their words on recent check-ins" in body
    assert escape(RUSHED) in body and "2 out of 10" in body


def test_a_supervisor_never_sees_the_comments(agency):
    low_with_comment(agency)
    http = signed_in(agency.supervisor)
    for url in (
        f"/clients/{agency.client_a.pk}/",
        f"/clients/{agency.client_a.pk}/measures/",
    ):
        response = http.get(url)
        assert escape(RUSHED) not in response.content.decode()
        assert RUSHED not in response.content.decode()
    assert not comment_reads(agency.supervisor, agency.client_a)


def test_comments_on_today_keep_the_query_count_flat(agency):
    http = signed_in(agency.therapist_a)
    answered_checkin(agency.client_a, 2, comment="First.")
    answered_checkin(agency.client_a, 9, comment="Second.")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert http.get("/today/").status_code == 200
        return len(captured)

    count()
    few = count()
    for n in range(5):
        answered_checkin(agency.client_a, 2, comment=f"Low {n}.")
        answered_checkin(agency.client_a, 9, comment=f"Good {n}.")
    assert count() == few
