"""The not-on-track reason in the one-alert-per-check-in model, the stored fit, and the page."""

from __future__ import annotations

import re

from django.test import Client as HttpClient
from django.utils import timezone

from attune.access.models import AccessEvent
from attune.measures import expected_response as engine
from attune.measures.cli import main
from attune.measures.fits import fit_expected_response, latest_fit
from attune.measures.models import ExpectedResponseFit, Signal
from tests.measures.checkins import PHQ9_CODES, answer, answered_checkin, phq9_answers, send_checkin
from tests.measures.test_expected_response import cohort


def store_fit(clients: int = 3000, version: int = 1) -> ExpectedResponseFit:
    """Store a PHQ-9 fit from a synthetic recovering cohort (the other instruments unfitted)."""
    phq9 = engine.fit(engine.SPECS["phq9"], *cohort(clients, seed=11))
    return ExpectedResponseFit.objects.create(
        version=version,
        fitted_at=timezone.now(),
        model="test",
        sample_sizes={"phq9": {"clients": clients}},
        parameters={"instruments": {"phq9": phq9.as_json()}},
    )


def phq9_of(client, value: int):
    """Answer a PHQ-9 with items 1-8 at option ``value`` and item 9 at none (total 8 × value)."""
    codes = [PHQ9_CODES[value]] * 8 + [PHQ9_CODES[0]]
    return answer(send_checkin(client, instrument_name="phq9"), phq9_answers(codes))


def reasons() -> list[list[str]]:
    return [
        [reason["rule"] for reason in signal.reasons]
        for signal in Signal.objects.order_by("raised_at", "pk")
    ]


def test_a_client_who_does_not_improve_raises_not_on_track(agency):
    store_fit()
    for _ in range(4):
        phq9_of(agency.client_a, 2)  # 16 every time: no worse, but not better either
    found = reasons()
    assert 1 <= len(found) <= 3 and all(rules == ["not_on_track"] for rules in found)
    signal = Signal.objects.order_by("raised_at", "pk").last()
    assert signal.kind == "rupture"
    assert signal.reason_labels == "Not on track"
    assert signal.summary.startswith("PHQ-9: 16 at score ")
    assert "started moderately severe (15–19)" in signal.summary
    facts = signal.facts["not_on_track"]
    assert facts["total"] == 16 and facts["upper"] < 16 and facts["score_number"] >= 2
    assert AccessEvent.objects.filter(object_type="signal", detail__contains="not_on_track")


def test_an_improving_client_raises_nothing(agency):
    store_fit()
    for value in (2, 2, 1, 1):  # 16, 16, 8, 8
        phq9_of(agency.client_a, value)
    assert all("not_on_track" not in rules for rules in reasons()[1:])
    assert not Signal.objects.filter(response__total=8).exists()


def test_not_on_track_joins_the_same_alert_as_reliable_deterioration(agency):
    store_fit()
    phq9_of(agency.client_a, 1)  # 8
    phq9_of(agency.client_a, 2)  # 16: reliably worse, and beyond the band
    assert reasons() == [["reliable_deterioration", "not_on_track"]]
    assert Signal.objects.get().rule == "reliable_deterioration"


def test_without_a_fit_the_published_rules_stand_alone(agency):
    for _ in range(4):
        phq9_of(agency.client_a, 2)
    assert not Signal.objects.exists()  # no fit: nothing beyond the existing rules
    phq9_of(agency.client_a, 3)  # 24: the existing reliable-deterioration rule, once
    assert reasons() == [["reliable_deterioration"]]


def test_the_fit_runs_in_the_task_worker_and_is_versioned_and_trailed(agency):
    for value in (9, 8, 7):
        answered_checkin(agency.client_a, value)
    version = fit_expected_response.call()
    assert version == 1
    stored = latest_fit()
    assert stored.sample_sizes["session-checkin"]["clients"] == 1
    assert stored.sample_sizes["session-checkin"]["fitted_bands"] == 0  # below the minimum
    assert set(stored.parameters["instruments"]) == {"phq9", "gad7", "session-checkin"}
    assert fit_expected_response.call() == 2
    assert latest_fit().version == 2
    entry = AccessEvent.objects.filter(object_type="expected_response_fit").last()
    assert entry.client_ref is None and "session-checkin 1 clients" in entry.detail


def test_the_command_fits_and_says_what_fell_back(agency, capsys):
    answered_checkin(agency.client_a, 9)
    assert main(["fit-expected"]) == 0
    out = capsys.readouterr().out
    assert "expected-response fit version 1" in out
    assert "phq9: 0 clients, 0 scores; 0 intake bands fitted, 5 on the published" in out


def test_the_command_can_queue_the_fit_for_the_worker(agency, capsys):
    from django_tasks_db.models import DBTaskResult

    assert main(["fit-expected", "--queue"]) == 0
    assert "queued for the task worker" in capsys.readouterr().out
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "attune.measures.fits.fit_expected_response"
    assert not ExpectedResponseFit.objects.exists()  # the worker fits, not the command


def test_a_stored_fit_holds_counts_and_quantiles_only(agency):
    for value in (9, 8, 7):
        answered_checkin(agency.client_a, value)
    answered_checkin(agency.client_b, 6)
    stored = latest_fit() or ExpectedResponseFit.objects.get(version=fit_expected_response.call())
    for entry in stored.parameters["instruments"].values():
        assert set(entry) == {"instrument", "clients", "scores", "settings", "bands"}
        for band in entry["bands"]:
            assert set(band) == {"label", "clients", "scores", "fitted", "lower", "median", "upper"}
    assert stored.parameters["instruments"]["session-checkin"]["clients"] == 2


def test_the_measures_page_shows_the_curve_and_band_with_a_table(agency):
    store_fit()
    for value in (2, 2, 2, 2):
        phq9_of(agency.client_a, value)
    http = HttpClient()
    http.force_login(agency.therapist_a)
    html = http.get(f"/clients/{agency.client_a.pk}/measures/").content.decode()
    assert '<g class="expected" aria-hidden="true">' in html and "<polygon points=" in html
    assert "A shaded band shows the range expected" in html
    assert "<caption>Patient Health Questionnaire" in html or "each score beside what" in html
    assert re.search(
        r'<th scope="row"><bdi>[^<]+</bdi> <span class="score-number">\(score 1\)', html
    )
    assert "first score (the starting point)" in html
    assert "not on track: worse than expected" in html
    assert "From this agency's own history of clients who started moderately severe" in html
    assert 'class="table-scroll"' in html
    assert "therapist" not in html.split('class="expected-course"')[1].split("</div>")[0].lower()


def test_without_a_fit_the_page_shows_the_published_rule(agency):
    for value in (2, 1):
        phq9_of(agency.client_a, value)
    answered_checkin(agency.client_a, 8)
    http = HttpClient()
    http.force_login(agency.therapist_a)
    html = http.get(f"/clients/{agency.client_a.pk}/measures/").content.decode()
    assert "the range is the published rule: a change of 6 points" in html
    assert "drop from the client's usual: 2 points either side" in html  # the check-in
    assert "better than expected" in html
