"""The dashboard names groups with the vocabulary's labels, never with the stored codes."""

from __future__ import annotations

import re

from attune.equity.labels import WORDING, attribute_label, group_label, quarter_label
from attune.equity.report import MetricRow
from attune.equity.wording import describe_finding, summarize_findings

RAW_KEYS = re.compile(
    r"race_ethnicity|sex_at_birth|fee_tier|referral_quarter|not_sure|\baian\b|\bmena\b|\bnhpi\b"
    r"|hispanic-|black-|asian-|white-|\bes\b|zh-Hans|\bhispanic\b|\bblack\b|\+"
)


def finding(attribute: str, group: str, reference: str, metric: str = "dropout_rate"):
    def make(name: str, value: float, ratio: float, difference: float) -> MetricRow:
        return MetricRow(
            metric, attribute, name, 40, value, value - 0.05, value + 0.05, reference,
            ratio, difference, 0.0001, 0.003, name != reference, False,
        )  # fmt: skip

    return make(group, 0.5, 2.5, 0.3), make(reference, 0.2, 1.0, 0.0)


def test_groups_get_the_vocabulary_labels() -> None:
    assert group_label("race_ethnicity", "aian") == "American Indian or Alaska Native"
    assert group_label("race_ethnicity", "mena") == "Middle Eastern or North African"
    assert group_label("race_ethnicity", "hispanic-puerto-rican") == (
        "Puerto Rican (Hispanic or Latino)"
    )
    assert group_label("languages", "es") == "Spanish"
    assert group_label("languages", "tl") == "Tagalog"
    assert group_label("interpreter", "not_sure") == "Not sure"
    assert group_label("fee_tier", "reduced") == "Reduced fee"
    assert group_label("gender", "not disclosed") == "Not disclosed"
    assert group_label("gender", "retired-code") == "retired-code"  # shown as stored, not lost
    assert quarter_label("2025-Q3") == "Jul–Sep 2025"
    assert attribute_label("race_ethnicity") == "Race and ethnicity"
    assert attribute_label("gender+languages") == "Gender and Languages"
    assert WORDING.group("gender+languages", "woman+es") == "Woman · Spanish"


def test_sentences_name_groups_in_words() -> None:
    assert WORDING.clients("race_ethnicity", "hispanic-puerto-rican") == (
        "clients who identify as Puerto Rican"
    )
    assert WORDING.clients("race_ethnicity", "not disclosed") == (
        "clients who did not share their race or ethnicity"
    )
    assert WORDING.clients("gender", "woman") == "clients who identify as a woman"
    assert WORDING.clients("gender", "two-spirit") == "clients who identify as Two-Spirit"
    assert WORDING.clients("languages", "es") == "clients who speak Spanish"
    assert WORDING.clients("interpreter", "yes") == "clients who asked for an interpreter"
    assert WORDING.clients("fee_tier", "reduced") == "clients on reduced fee"
    assert WORDING.clients("referral_quarter+gender", "2025-Q1+man") == (
        "clients referred in Jan–Mar 2025 and who identify as a man"
    )


def test_no_finding_shows_a_raw_key() -> None:
    cases = [
        ("race_ethnicity", "aian", "white"),
        ("race_ethnicity", "mena", "white"),
        ("race_ethnicity", "hispanic-puerto-rican", "white"),
        ("race_ethnicity", "black", "hispanic"),
        ("languages", "zh-Hans", "es"),
        ("race_ethnicity+languages", "hispanic+es", "white+en"),
        ("interpreter", "not_sure", "no"),
        ("fee_tier", "minimal", "full"),
    ]
    for attribute, group, reference in cases:
        row, reference_row = finding(attribute, group, reference)
        sentence = describe_finding(row, reference_row, 30, WORDING)
        assert not RAW_KEYS.search(sentence), sentence
        assert sentence.startswith("Clients ")
    row, reference_row = finding("race_ethnicity", "aian", "white")
    assert describe_finding(row, reference_row, 30, WORDING) == (
        "Clients who identify as American Indian or Alaska Native left therapy early more often "
        "than clients who identify as White (the reference group): 50.0% against 20.0% "
        "(2.5 times as often); this is unlikely to be chance (q = 0.003)."
    )


def test_the_pdf_report_uses_the_labels_too() -> None:
    from attune.equity.render import render_html
    from attune.equity.report import Report

    row, reference_row = finding("race_ethnicity", "hispanic-puerto-rican", "white")
    report = Report(n_episodes=80, rows=(row, reference_row), min_cell=11, n_tests=1)
    assert summarize_findings(report, WORDING)[0].startswith(
        "Clients who identify as Puerto Rican left therapy early"
    )
    page = render_html(report, wording=WORDING)
    assert "Puerto Rican (Hispanic or Latino)" in page
    assert "by race and ethnicity;" in page
    assert "hispanic-puerto-rican" not in page and "race_ethnicity" not in page
