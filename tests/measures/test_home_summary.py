"""The open-signal summary the therapist's home page can include."""

from __future__ import annotations

from django.template.loader import render_to_string

from attune.access.actor import Actor
from attune.measures import services
from attune.measures.queries import open_signal_counts
from tests.measures.checkins import PHQ9_CODES, answer, answered_checkin, phq9_answers, send_checkin


def test_it_counts_open_alerts_of_the_therapists_own_clients_one_per_check_in(agency):
    answered_checkin(agency.client_a, 3)  # low and humility low: one alert
    (second,) = answered_checkin(agency.client_a, 3)
    answered_checkin(agency.client_b, 3)
    codes = [PHQ9_CODES[0]] * 8 + [PHQ9_CODES[2]]
    answer(send_checkin(agency.client_a, instrument_name="phq9"), phq9_answers(codes))
    assert open_signal_counts(user=agency.therapist_a) == {"safety": 1, "rupture": 2}
    # Acknowledged is still open work: counted, as Today and the signals page list it.
    services.signal_acknowledge(actor=Actor(user=agency.therapist_a), signal=second.signals.get())
    assert open_signal_counts(user=agency.therapist_a) == {"safety": 1, "rupture": 2}
    services.signal_close(
        actor=Actor(user=agency.therapist_a), signal=second.signals.get(), outcome="resolved"
    )
    assert open_signal_counts(user=agency.therapist_a) == {"safety": 1, "rupture": 1}
    assert open_signal_counts(user=agency.supervisor) == {"safety": 0, "rupture": 0}


def test_it_renders_a_summary_with_safety_named_first(agency):
    html = render_to_string(
        "measures/includes/signals_summary.html", {"signal_counts": {"safety": 1, "rupture": 2}}
    )
    assert html.index("Safety first (1).") < html.index("Possible ruptures (2)")
    assert 'href="/signals/"' in html
    quiet = render_to_string(
        "measures/includes/signals_summary.html", {"signal_counts": {"safety": 0, "rupture": 0}}
    )
    assert quiet.strip() == ""
