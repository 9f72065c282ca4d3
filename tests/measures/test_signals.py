"""Signals raised by responses, shown to the therapist (safety first), and moved through states."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.measures import services
from attune.measures.models import Signal, SignalKind, SignalState
from tests.measures.checkins import (
    PHQ9_CODES,
    answer,
    answered_checkin,
    phq9_answers,
    send_checkin,
)


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    http.get("/healthz")
    return http


def test_it_raises_nothing_for_a_good_session(agency):
    answered_checkin(agency.client_a, 9)
    assert not Signal.objects.exists()


def test_a_low_checkin_raises_one_alert_listing_all_its_reasons(agency):
    answered_checkin(agency.client_a, 3)
    alert = Signal.objects.get()
    assert alert.kind == SignalKind.RUPTURE
    assert [reason["rule"] for reason in alert.reasons] == [
        "low_session_total",
        "low_humility_item",
    ]
    assert alert.rule == "low_session_total"
    assert set(alert.facts) == {"low_session_total", "low_humility_item"}
    assert alert.reason_labels == "Below the low check-in threshold; Cultural-humility rating low"


def test_a_drop_below_threshold_with_low_items_is_still_one_alert(agency):
    for _ in range(3):
        answered_checkin(agency.client_a, 9)
    answered_checkin(agency.client_a, 2)
    alert = Signal.objects.get()
    assert [reason["rule"] for reason in alert.reasons] == [
        "low_session_total",
        "drop_from_baseline",
        "low_humility_item",
    ]
    # The items by their own words, not their ids.
    assert "respected-values" not in alert.summary
    assert "“My therapist respected my values and beliefs” 2" in alert.summary


def test_it_raises_a_drop_from_the_clients_own_baseline(agency):
    for _ in range(3):
        answered_checkin(agency.client_a, 10)
    answered_checkin(agency.client_a, 7)
    signal = Signal.objects.get()
    assert signal.rule == "drop_from_baseline"
    assert signal.facts["drop_from_baseline"]["baseline"] == 10


def test_it_raises_a_flagged_safety_signal_for_phq9_item_9(agency):
    codes = [PHQ9_CODES[0]] * 8 + [PHQ9_CODES[1]]
    answer(send_checkin(agency.client_a, instrument_name="phq9"), phq9_answers(codes))
    signal = Signal.objects.get()
    assert signal.kind == SignalKind.SAFETY
    assert AccessEvent.objects.get(object_type="signal").flagged


def test_it_raises_reliable_deterioration_on_the_phq9(agency):
    answer(send_checkin(agency.client_a, instrument_name="phq9"), phq9_answers([PHQ9_CODES[0]] * 9))
    answer(
        send_checkin(agency.client_a, instrument_name="phq9"),
        phq9_answers([PHQ9_CODES[2]] * 4 + [PHQ9_CODES[0]] * 5),
    )
    assert list(Signal.objects.values_list("rule", flat=True)) == ["reliable_deterioration"]


def test_it_shows_safety_first_with_the_protocol_and_apart_from_ruptures(agency, settings):
    settings.ATTUNE_SAFETY_PROTOCOL = "Call the on-duty clinician at extension 200."
    answered_checkin(agency.client_a, 2)
    codes = [PHQ9_CODES[0]] * 8 + [PHQ9_CODES[3]]
    answer(send_checkin(agency.client_a, instrument_name="phq9"), phq9_answers(codes))
    body = signed_in(agency.therapist_a).get("/signals/").content.decode()
    safety, rupture = body.index('id="safety-heading"'), body.index('id="rupture-heading"')
    assert safety < body.index("extension 200") < rupture
    assert body.index("A safety question") < rupture < body.index("out of 10, below 6")
    assert "A way to open the conversation" in body
    assert "Session check-ins, oldest first:</strong> 2" in body


def test_it_never_shows_a_therapist_another_therapists_signals(agency):
    answered_checkin(agency.client_b, 1)
    body = signed_in(agency.therapist_a).get("/signals/").content.decode()
    assert agency.client_b.chosen_name not in body
    assert "No open signals" in body


def test_it_moves_a_signal_from_open_to_acknowledged_to_resolved(agency):
    answered_checkin(agency.client_a, 5)
    signal = Signal.objects.get()
    http = signed_in(agency.therapist_a)
    assert http.post(f"/signals/{signal.pk}/acknowledge/").status_code == 302
    signal.refresh_from_db()
    assert signal.state == SignalState.ACKNOWLEDGED and signal.acknowledged_by == agency.therapist_a
    http.post(f"/signals/{signal.pk}/close/", {"outcome": "resolved", "reason": "Talked it over."})
    signal.refresh_from_db()
    assert signal.state == SignalState.RESOLVED and signal.closed_at is not None
    assert signal.close_reason == "Talked it over."
    details = list(
        AccessEvent.objects.filter(object_type="signal", action="update").values_list(
            "detail", flat=True
        )
    )
    assert details == ["rupture signal acknowledged", "rupture signal resolved"]
    assert "No open signals" in http.get("/signals/").content.decode()


def test_it_needs_a_reason_to_dismiss(agency):
    answered_checkin(agency.client_a, 5)
    signal = Signal.objects.get()
    with pytest.raises(services.SignalStateError):
        services.signal_close(
            actor=Actor(user=agency.therapist_a), signal=signal, outcome="dismissed"
        )
    http = signed_in(agency.therapist_a)
    http.post(f"/signals/{signal.pk}/close/", {"outcome": "dismissed"})
    signal.refresh_from_db()
    assert signal.state == SignalState.OPEN
    http.post(f"/signals/{signal.pk}/close/", {"outcome": "dismissed", "reason": "Misclicked."})
    signal.refresh_from_db()
    assert signal.state == SignalState.DISMISSED


def test_it_refuses_to_acknowledge_a_signal_twice(agency):
    answered_checkin(agency.client_a, 5)
    signal = Signal.objects.get()
    actor = Actor(user=agency.therapist_a)
    services.signal_acknowledge(actor=actor, signal=signal)
    with pytest.raises(services.SignalStateError):
        services.signal_acknowledge(actor=actor, signal=signal)


def queries_for(http, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return len(captured)


def test_it_lists_signals_in_a_fixed_number_of_queries(agency):
    http = signed_in(agency.therapist_a)
    answered_checkin(agency.client_a, 3)
    few = queries_for(http, "/signals/")
    for _ in range(10):
        answered_checkin(agency.client_a, 2)
    assert queries_for(http, "/signals/") == few
    assert few <= 12


def test_it_shows_a_clients_measures_in_a_fixed_number_of_queries(agency):
    http = signed_in(agency.therapist_a)
    url = f"/clients/{agency.client_a.pk}/measures/"
    answered_checkin(agency.client_a, 8)
    few = queries_for(http, url)
    for value in range(10):
        answered_checkin(agency.client_a, value)
    answer(send_checkin(agency.client_a, instrument_name="phq9"), phq9_answers([PHQ9_CODES[1]] * 9))
    assert queries_for(http, url) == few
    assert few <= 15


def test_it_reports_unusable_signal_rules_at_start_up(settings):
    from attune.measures.apps import check_signal_rules

    settings.ATTUNE_SIGNAL_RULES = {"session_total_below": "six"}
    (problem,) = check_signal_rules()
    assert problem.id == "measures.E001" and "session_total_below" in problem.msg
    settings.ATTUNE_SIGNAL_RULES = {"session_total_below": 7}
    assert check_signal_rules() == []
