"""Rules read words in context: quotes, person-first terms, diagnoses, spelling variants."""

from __future__ import annotations

import pytest

from attune.language import audit_text


def flagged(text: str, profile: str) -> list[tuple[str, str]]:
    """Return (rule, text) of findings at warning or error."""
    report = audit_text(text, profile=profile)
    return [(f.rule, f.text) for f in report.findings if f.severity != "info"]


@pytest.mark.parametrize(
    "text",
    [
        "Client insists the dose is too low.",
        "Client insisted the dose was too low.",
        "Client is insisting the dose is too low.",
        "Patient is non-compliant.",
        "Patient is noncompliant.",
        "Patient is non compliant.",
        "Patient is NON-COMPLIANT.",
        "Patient is non\u2011compliant.",
    ],
)
def test_it_finds_inflections_and_spelling_variants(text: str) -> None:
    assert flagged(text, "notes")


@pytest.mark.parametrize(
    "text",
    [
        "Client has a substance use disorder.",
        "Client is in recovery.",
        "UDS negative for opioids.",
        "Client declined the referral.",
        "Client has schizophrenia.",
        "Client has bipolar disorder with psychotic features.",
        "History of childhood sexual abuse.",
        "Client attends Alcoholics Anonymous.",
        "Client denies suicidal ideation.",
        "Client has treatment-resistant depression.",
        "Insurance claims were denied.",
        "Client was refused service by the pharmacy.",
        "It was difficult to find parking.",
    ],
)
def test_it_leaves_person_first_and_clinical_terms_alone(text: str) -> None:
    assert flagged(text, "notes") == []


def test_it_marks_a_clients_quoted_words_as_info_only() -> None:
    report = audit_text('Client said "I am an addict, I know it."', profile="notes")
    assert [(f.rule, f.severity, f.quoted) for f in report.findings] == [
        ("substance-person-label", "info", True)
    ]
    assert "client's own words" in report.findings[0].message


def test_it_treats_curly_quotes_as_quotes() -> None:
    report = audit_text(
        "Client said she feels \u201clike a junkie\u201d at the pharmacy.", profile="notes"
    )
    assert {f.severity for f in report.findings} == {"info"}


def test_it_treats_single_quotes_as_quotes_but_not_apostrophes() -> None:
    quoted = audit_text("Client said 'I am an addict' and laughed.", profile="notes")
    assert [f.severity for f in quoted.findings] == ["info"]
    curly = audit_text("Client said \u2018I am an addict\u2019 today.", profile="notes")
    assert [f.severity for f in curly.findings] == ["info"]
    apostrophes = audit_text("The client's brother isn't an addict.", profile="notes")
    assert [f.severity for f in apostrophes.findings] == ["warning"]


def test_it_flags_the_same_word_outside_quotes() -> None:
    report = audit_text('Client is an addict. She said "I am fine."', profile="notes")
    assert [(f.text, f.severity) for f in report.findings] == [("addict", "warning")]


def test_it_respects_word_boundaries() -> None:
    assert flagged("Addiction medicine referral made.", "notes") == []
    assert flagged("Client is an addict.", "notes") == [("substance-person-label", "addict")]


def test_it_matches_possessives_and_curly_apostrophes() -> None:
    assert flagged("Mother\u2019s name: ____", "forms") == [
        ("family-role-field", "Mother\u2019s name")
    ]
    assert flagged("Mothers name: ____", "forms") == [("family-role-field", "Mothers name")]
    assert flagged("The addict's family came.", "notes") == [("substance-person-label", "addict")]


def test_it_finds_a_phrase_broken_across_lines() -> None:
    report = audit_text("Client is wheelchair-\nbound since May.", profile="notes")
    finding = report.findings[0]
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (1, 11, 2, 6)
    assert finding.text == "wheelchair-\nbound"


def test_it_reports_one_based_columns_in_characters() -> None:
    report = audit_text("\u00e9\u00e9 Client claims pain.", profile="notes")
    finding = report.findings[0]
    assert (finding.line, finding.column, finding.end_column) == (1, 11, 17)
    assert finding.text == "claims"


def test_it_finds_group_generalisations() -> None:
    for text in (
        "Typical of Hispanic families, the mother decides.",
        "Like many Black men, he distrusts doctors.",
        "As is common among refugees, he hides his feelings.",
        "Asian families tend to avoid therapy.",
    ):
        assert [rule for rule, _ in flagged(text, "notes")] in (
            ["group-generalisation"],
            ["group-habit"],
        ), text


def test_it_does_not_treat_identity_mentions_as_generalisations() -> None:
    assert flagged("Client is a Black woman who works as a nurse.", "notes") == []
    assert flagged("Client identifies as Latina.", "notes") == []


def test_it_finds_binary_only_options_but_not_inclusive_ones() -> None:
    assert flagged("Sex: [ ] Male [ ] Female", "forms")
    assert flagged("Gender: M / F", "forms")
    assert flagged("Gender: Male / Female / Non-binary / Prefer to self-describe", "forms") == []


def test_it_finds_shorter_phrases_inside_longer_ones() -> None:
    rules = {
        rule for rule, _ in flagged("The handicapped entrance is on Main Street.", "materials")
    }
    assert rules == {"disability-handicapped"}


def test_it_keeps_profiles_apart() -> None:
    assert flagged("Client claims she slept well.", "forms") == []
    assert flagged("Mother's name: ____", "notes") == []


def test_it_finds_a_phrase_at_the_very_start_and_end_of_the_text() -> None:
    report = audit_text("Addicts meet here with addicts", profile="materials")
    assert [(f.column, f.end_column) for f in report.findings] == [(1, 8), (24, 31)]


def test_it_reports_both_rules_when_one_phrase_extends_another() -> None:
    rules = {rule for rule, _ in flagged("Mother's maiden name: ____", "forms")}
    assert rules == {"family-role-field", "maiden-name"}
