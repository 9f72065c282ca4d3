"""The expected-response engine on synthetic cohorts: pure numpy, no database."""

from __future__ import annotations

import numpy as np
import pytest

from attune.measures import expected_response as engine

pytestmark = pytest.mark.pure

PHQ9 = engine.SPECS["phq9"]
CHECKIN = engine.SPECS["session-checkin"]


def cohort(
    clients: int, scores: int = 10, *, seed: int = 1, start: int = 0, recovery: float = 0.35
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PHQ-9 histories: intake 5-27, falling towards a third of it, with noise (one row a score)."""
    rng = np.random.default_rng(seed)
    intake = rng.integers(5, 28, clients).astype(float)
    number = np.arange(scores)
    course = intake[:, None] * (0.35 + 0.65 * np.exp(-recovery * number[None, :]))
    noisy = np.clip(np.round(course + rng.normal(0, 2.5, course.shape)), 0, 27)
    noisy[:, 0] = intake
    ids = np.repeat(np.arange(start, start + clients), scores)
    order = np.tile(number, clients)
    return ids, order, noisy.ravel()


def test_a_band_below_the_minimum_sample_falls_back_to_the_published_rule():
    fitted = engine.fit(PHQ9, *cohort(40))
    assert not any(band.fitted for band in fitted.bands)
    assert fitted.clients == 40
    expected = engine.expectation(PHQ9, fitted, 16, 5)
    assert expected.source == engine.PUBLISHED and not expected.raises
    assert (expected.expected, expected.lower, expected.upper) == (16, 10, 22)
    # A reliable worsening counts at the threshold, as the reliable-deterioration rule does.
    assert expected.off_track(22) and not expected.off_track(21)


def test_without_any_fit_it_uses_the_published_rule():
    expected = engine.expectation(PHQ9, None, 25, 3)
    assert expected.source == engine.PUBLISHED
    assert expected.upper == 27  # clipped to the instrument's range


def test_the_check_in_falls_back_to_the_agencys_drop_from_baseline():
    expected = engine.expectation(CHECKIN, None, 8.5, 2, reliable_change=2.0)
    assert expected.lower == 6.5 and not expected.lower_is_better
    assert expected.off_track(6.5) and not expected.off_track(7)


def test_the_band_holds_most_of_an_on_track_cohort():
    fitted = engine.fit(PHQ9, *cohort(4000, seed=2))
    assert sum(band.fitted for band in fitted.bands) == 4  # minimal (0-4) has no intakes here
    ids, _, totals = cohort(1000, seed=3, start=10_000)
    inside = off = count = 0
    for client in range(1000):
        rows = engine.course(PHQ9, fitted, list(totals[ids == 10_000 + client]))
        for row in rows[1:]:
            count += 1
            inside += row.expectation.lower <= row.total <= row.expectation.upper
            off += row.off_track
    assert inside / count > 0.75  # a 10-90% band, with whole-number scores at its edges
    assert off / count < 0.12


def test_it_flags_a_planted_client_who_does_not_improve():
    fitted = engine.fit(PHQ9, *cohort(4000, seed=4))
    stuck = [18, 19, 18, 19, 20, 19, 18]
    rows = engine.course(PHQ9, fitted, stuck)
    assert rows[0].expectation.score_number == 1 and not rows[0].off_track
    assert rows[0].expectation.lower == rows[0].expectation.upper == 18  # the course starts here
    flagged = [row.score_number for row in rows if row.off_track]
    assert flagged and flagged[0] <= 4
    assert all(row.expectation.raises for row in rows[1:])
    assert rows[-1].expectation.band_label.startswith("moderately severe")


def test_an_improving_client_stays_on_track():
    fitted = engine.fit(PHQ9, *cohort(4000, seed=5))
    rows = engine.course(PHQ9, fitted, [18, 15, 13, 11, 10, 9, 8])
    assert not any(row.off_track for row in rows)


def test_unscored_totals_keep_their_place_and_take_no_score_number():
    rows = engine.course(PHQ9, None, [None, 12, float("nan"), 14])
    assert rows[0] is None and rows[2] is None
    assert [rows[1].score_number, rows[3].score_number] == [1, 2]


def test_the_expected_curve_falls_for_a_recovering_history():
    fitted = engine.fit(PHQ9, *cohort(4000, seed=6))
    curve = engine.curve(PHQ9, fitted, 16, 10)
    medians = [point.expected for point in curve]
    assert medians[0] == 16 and medians[-1] < medians[1] < 16
    assert all(point.lower <= point.expected <= point.upper for point in curve)


def test_cell_quantiles_match_numpy_cell_by_cell():
    rng = np.random.default_rng(7)
    key = rng.integers(0, 6, 500)
    change = rng.normal(0, 3, 500)
    low, mid, high, sizes = engine._cell_quantiles(key, change, 8, 0.1, 0.9)
    for cell in range(6):
        values = change[key == cell]
        assert sizes[cell] == values.size
        assert low[cell] == pytest.approx(np.quantile(values, 0.1))
        assert mid[cell] == pytest.approx(np.median(values))
        assert high[cell] == pytest.approx(np.quantile(values, 0.9))
    assert np.isnan(mid[7]) and sizes[7] == 0


def test_a_fit_survives_its_stored_form():
    fitted = engine.fit(PHQ9, *cohort(600, seed=8))
    again = engine.fits_from_json({"instruments": {"phq9": fitted.as_json()}})["phq9"]
    assert again == fitted


def test_rows_in_any_order_fit_the_same():
    ids, order, totals = cohort(500, seed=9)
    shuffled = np.random.default_rng(10).permutation(ids.size)
    assert engine.fit(PHQ9, ids, order, totals) == engine.fit(
        PHQ9, ids[shuffled], order[shuffled], totals[shuffled]
    )


def test_empty_history_fits_nothing():
    fitted = engine.fit(PHQ9, np.array([]), np.array([]), np.array([]))
    assert fitted.clients == 0 and not any(band.fitted for band in fitted.bands)


def test_settings_refuse_an_inside_out_band():
    with pytest.raises(ValueError):
        engine.FitSettings(lower_quantile=0.6)
