"""The open-signal summary the therapist's home page can include."""

from __future__ import annotations

from django.template.loader import render_to_string

from attune.measures.queries import open_signal_counts
from tests.measures.checkins import PHQ9_CODES, answer, answered_checkin, phq9_answers, send_checkin


def test_it_counts_only_open_signals_of_the_therapists_own_clients(agency):
    answered_checkin(agency.client_a, 3)  # two rupture signals
    answered_checkin(agency.client_b, 3)
    codes = [PHQ9_CODES[0]] * 8 + [PHQ9_CODES[2]]
    answer(send_checkin(agency.client_a, instrument_name="phq9"), phq9_answers(codes))
    assert open_signal_counts(user=agency.therapist_a) == {"safety": 1, "rupture": 2}
    assert open_signal_counts(user=agency.supervisor) == {"safety": 0, "rupture": 0}


def test_it_renders_a_summary_with_safety_named_first(agency):
    html = render_to_string(
        "measures/includes/signals_summary.html", {"signal_counts": {"safety": 1, "rupture": 2}}
    )
    assert html.index("1 safety signal open.") < html.index("2 check-in signals to talk about.")
    assert 'href="/signals/"' in html
    quiet = render_to_string(
        "measures/includes/signals_summary.html", {"signal_counts": {"safety": 0, "rupture": 0}}
    )
    assert quiet.strip() == ""
