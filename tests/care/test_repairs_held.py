"""Whether a repair held: later check-ins, stored by the real services, against the baseline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from attune.care import queries, services
from attune.measures.models import Response
from tests.care.repair_builders import history, open_log, rupture_signal, therapist_of
from tests.measures.checkins import answer, send_checkin, session_answers

pytestmark = pytest.mark.django_db


def answered(client, value: int, comment: str = "", **overrides) -> Response:
    answers = session_answers(value, **overrides)
    if comment:
        answers["comment"] = comment
    return answer(send_checkin(client), answers)[0]


def logged_rupture(client, *, usual: int = 8):
    return open_log(client, signal=rupture_signal(client, usual=usual))


def test_the_next_check_in_back_at_baseline_suggests_the_repair_held(agency):
    log = logged_rupture(agency.client_a)
    answered(agency.client_a, 8, comment="Thank you for coming back to it.")
    progress = queries.repair_progress(log)
    assert progress.baseline == 8.0 and progress.reference_is_baseline
    (row,) = progress.follow_ups
    assert (row.total, row.back, row.difference) == (8.0, True, 0.0)
    assert row.comment == "Thank you for coming back to it."
    assert progress.suggestion == "held"
    assert progress.suggestion_text == "The check-in since the log was opened is back to baseline."


def test_the_rupture_and_earlier_check_ins_are_not_follow_ups(agency):
    log = logged_rupture(agency.client_a)
    progress = queries.repair_progress(log)
    assert progress.follow_ups == []
    assert progress.suggestion == ""
    assert "No session check-in" in progress.suggestion_text


def test_two_check_ins_still_below_baseline_suggest_it_did_not_hold(agency):
    log = logged_rupture(agency.client_a)
    answered(agency.client_a, 5)
    progress = queries.repair_progress(log)
    assert progress.suggestion == ""  # one low check-in: wait for another
    answered(agency.client_a, 6)
    progress = queries.repair_progress(log)
    assert [row.back for row in progress.follow_ups] == [False, False]
    assert [row.difference for row in progress.follow_ups] == [-3.0, -2.0]
    assert progress.suggestion == "not_held"
    assert progress.suggestion_text == "The last two check-ins are still below baseline."


def test_mixed_check_ins_give_no_suggestion_until_the_last_two_agree(agency):
    log = logged_rupture(agency.client_a)
    answered(agency.client_a, 5)
    answered(agency.client_a, 8)
    assert queries.repair_progress(log).suggestion == ""
    answered(agency.client_a, 9)
    progress = queries.repair_progress(log)
    assert progress.suggestion == "held"
    assert progress.suggestion_text == "The last two check-ins are back to baseline."


def test_back_to_baseline_allows_half_a_point(agency):
    log = logged_rupture(agency.client_a)
    # Four ratings of 7 and four of 8: a total of 7.5, half a point under the baseline of 8.
    answered(agency.client_a, 8, heard=7, overall=7, curious=7, **{"what-matters": 7})
    # One more 7: 7.38 (7.375 rounded), more than half a point under.
    answered(agency.client_a, 7, heard=8, overall=8, **{"what-matters": 8})
    rows = queries.repair_progress(log).follow_ups
    assert [(row.total, row.back) for row in rows] == [(7.5, True), (7.38, False)]


def test_without_three_earlier_check_ins_the_low_threshold_is_the_reference(agency):
    (low,) = history(agency.client_a, 2)
    signal = low.signals.get(kind="rupture")
    log = open_log(agency.client_a, signal=signal)
    answered(agency.client_a, 6)
    progress = queries.repair_progress(log)
    assert progress.baseline is None and not progress.reference_is_baseline
    assert progress.reference == 6.0
    assert progress.follow_ups[0].back is True
    assert progress.suggestion_text.endswith("back to the low check-in threshold.")


def test_a_skipped_check_in_has_no_total_and_no_verdict(agency):
    log = logged_rupture(agency.client_a)
    skipped = {name: None for name in ("heard", "what-matters", "approach-fit")}
    answer(send_checkin(agency.client_a), {**session_answers(9), **skipped})
    (row,) = queries.repair_progress(log).follow_ups
    assert row.total is None and row.back is None
    assert queries.repair_progress(log).suggestion == ""


def test_check_ins_after_closing_are_not_linked(agency):
    log = logged_rupture(agency.client_a)
    answered(agency.client_a, 8)
    log = services.repair_close(
        actor=therapist_of(agency.client_a),
        log=log,
        outcome="held",
        closed_on=timezone.localdate(),
    )
    answered(agency.client_a, 2)
    assert [row.total for row in queries.repair_progress(log).follow_ups] == [8.0]


def test_a_log_by_hand_reads_the_baseline_before_the_day_it_happened(agency):
    earlier = history(agency.client_a, 9, 7, 8, 4)
    today = timezone.localdate()
    for days_ago, response in zip((20, 13, 6, 1), earlier, strict=True):
        Response.objects.filter(pk=response.pk).update(
            submitted_at=timezone.now() - timedelta(days=days_ago)
        )
    log = services.repair_open(
        actor=therapist_of(agency.client_a),
        client=agency.client_a,
        what_happened="I rushed the end of the session.",
        follow_up_on=today,
        occurred_on=today - timedelta(days=1),
    )
    # The check-in of the day it happened (4) is the rupture, not the baseline.
    assert queries.repair_progress(log).baseline == 8.0


def test_a_new_signal_from_a_later_check_in_is_shown(agency):
    log = logged_rupture(agency.client_a)
    answered(agency.client_a, 9, curious=3)
    (row,) = queries.repair_progress(log).follow_ups
    assert row.new_signal and row.back
