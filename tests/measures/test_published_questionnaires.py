"""The three published FHIR Questionnaires import and score to known totals."""

from __future__ import annotations

import pytest

from attune.measures.instrument import ItemType
from attune.measures.responses import parse_questionnaire_response
from attune.measures.scoring import score

from .conftest import RESPONSES, read_json

pytestmark = [pytest.mark.pure]


def score_fixture(instrument, name):
    answers = parse_questionnaire_response(read_json(RESPONSES / name), instrument)
    return score(instrument, answers)


def test_it_imports_the_lhc_phq9_with_weights_from_answer_option_extensions(phq9_lhc):
    scored = phq9_lhc.scored_items()
    assert [item.link_id for item in scored][:2] == ["/44250-9", "/44255-8"]
    assert len(scored) == 9
    assert [option.weight for option in scored[0].options] == [0, 1, 2, 3]
    assert phq9_lhc.scoring.total_item == "/44261-6"
    assert phq9_lhc.total_range() == (0, 27)


def test_it_leaves_the_unweighted_difficulty_question_out_of_the_total(phq9_lhc):
    difficulty = phq9_lhc.item("/69722-7")
    assert difficulty.type is ItemType.CHOICE
    assert "/69722-7" not in phq9_lhc.scoring.items


def test_it_reports_strict_validation_quirks_of_the_lhc_file_as_warnings(phq9_lhc):
    assert any("valueExpression.name" in warning for warning in phq9_lhc.warnings)
    assert any("recognised as the PHQ-9" in warning for warning in phq9_lhc.warnings)


def test_it_scores_the_lhc_phq9_with_every_answer_at_weight_2(phq9_lhc):
    result = score_fixture(phq9_lhc, "phq9-lhc-all-2.json")
    assert result.total == 18
    assert result.band == "moderately severe"
    assert result.items_answered == 9
    assert result.items_missing == 0
    assert result.calculated == {"/44261-6": 18}
    assert result.safety_items == ("/44260-8",)


def test_it_scores_a_mixed_lhc_phq9_through_its_calculated_expression(phq9_lhc):
    result = score_fixture(phq9_lhc, "phq9-lhc-mixed-13.json")
    assert result.total == 13
    assert result.band == "moderate"
    assert result.calculated["/44261-6"] == 13


def test_it_imports_the_sdc_phq9_with_weights_from_a_contained_value_set(phq9_sdc):
    first = phq9_sdc.item("H1/T1/Q1")
    assert [option.code for option in first.options][0] == "Not-at-all"
    assert [option.weight for option in first.options] == [0, 1, 2, 3]
    assert first.options[0].system == "http://hl7.org/fhir/uv/sdc/CodeSystem/CSPHQ9"
    assert phq9_sdc.key.endswith("questionnaire-sdc-profile-example-PHQ9|0.0.1")


@pytest.mark.parametrize(
    ("fixture", "total", "band"),
    [("phq9-sdc-all-2.json", 18, "moderately severe"), ("phq9-sdc-all-3.json", 27, "severe")],
)
def test_it_scores_the_sdc_phq9_with_answers_ordinal_sum(phq9_sdc, fixture, total, band):
    result = score_fixture(phq9_sdc, fixture)
    assert result.total == total
    assert result.band == band
    assert result.calculated == {"H1/TS": total}
    assert result.notes == ()


@pytest.mark.parametrize(
    ("fixture", "total", "band"),
    [("gad7-researchkit-mild-5.json", 5, "mild"), ("gad7-researchkit-all-2.json", 14, "moderate")],
)
def test_it_scores_the_researchkit_gad7_as_the_sum_of_weights(
    gad7_researchkit, fixture, total, band
):
    result = score_fixture(gad7_researchkit, fixture)
    assert result.total == total
    assert result.band == band
    assert result.calculated == {}
    assert result.items_answered == 7


def test_it_gives_imported_copies_the_bundled_interpretation(phq9_lhc, phq9_sdc, gad7_researchkit):
    assert phq9_lhc.scoring.reliable_change.threshold_points() == 6
    assert phq9_sdc.scoring.clinical_cutoff == 10
    assert gad7_researchkit.scoring.reliable_change.threshold_points() == 4
    assert [band.label.default for band in gad7_researchkit.scoring.bands] == [
        "minimal",
        "mild",
        "moderate",
        "severe",
    ]


def test_it_marks_phq9_item_9_as_the_safety_item_in_both_phq9_files(phq9_lhc, phq9_sdc):
    assert [item.link_id for item in phq9_lhc.all_items() if item.safety] == ["/44260-8"]
    assert [item.link_id for item in phq9_sdc.all_items() if item.safety] == ["H1/T1/Q9"]


def test_it_prorates_one_missing_item_instead_of_trusting_the_files_zero(phq9_lhc):
    answers = {item.link_id: "LA6570-1" for item in phq9_lhc.scored_items()}
    del answers["/44250-9"]
    result = score(phq9_lhc, answers)
    # The file's own expression counts the gap as 0 (16); Attune prorates 16/8*9 = 18.
    assert result.calculated["/44261-6"] == 16
    assert result.total == 18
    assert result.prorated is True
    assert result.missing_items == ("/44250-9",)


def test_it_gives_no_total_when_too_many_items_are_missing(gad7_researchkit):
    first_five = [item.link_id for item in gad7_researchkit.scored_items()][:5]
    result = score(gad7_researchkit, dict.fromkeys(first_five, "Several-days"))
    assert result.total is None
    assert result.band is None
    assert result.items_missing == 2


def test_it_recomputes_a_total_the_form_filler_sent(phq9_lhc, phq9_sdc):
    lhc = read_json(RESPONSES / "phq9-lhc-all-2.json")
    lhc["item"].append({"linkId": "/44261-6", "answer": [{"valueDecimal": 99}]})
    assert score(phq9_lhc, parse_questionnaire_response(lhc, phq9_lhc)).total == 18
    sdc = read_json(RESPONSES / "phq9-sdc-all-2.json")
    sdc["item"][0]["item"].append({"linkId": "H1/TS", "answer": [{"valueQuantity": {"value": 1}}]})
    assert score(phq9_sdc, parse_questionnaire_response(sdc, phq9_sdc)).total == 18
