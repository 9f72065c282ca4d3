"""Suppression: inline markers and the config file's allow-list."""

from __future__ import annotations

import pytest

from attune.language import ConfigError, audit_text, parse_config


def rules_found(text: str, profile: str = "notes", config=None) -> list[str]:
    """Return the rule ids found."""
    return [f.rule for f in audit_text(text, profile=profile, config=config).findings]


def test_it_honours_an_inline_marker_on_the_same_line() -> None:
    text = "Client claims pain. attune-lint: allow credibility-doubt"
    assert rules_found(text) == []


def test_it_honours_an_inline_marker_on_the_line_above() -> None:
    text = "<!-- attune-lint: allow credibility-doubt -->\nClient claims pain.\nClient claims more."
    assert rules_found(text) == ["credibility-doubt"]


def test_it_only_allows_the_named_rule() -> None:
    text = "Client claims she is an addict. attune-lint: allow credibility-doubt"
    assert rules_found(text) == ["substance-person-label"]


def test_it_applies_the_config_allow_list() -> None:
    config = parse_config(
        {
            "allow": [
                "credibility-doubt",
                {"rule": "substance-person-label", "text": ["addicts"]},
                {"rule": "older-adults", "paths": ["legacy/*"]},
            ]
        }
    )
    text = "Client claims support from addicts and one addict. The elderly client."
    assert rules_found(text, config=config) == ["substance-person-label", "older-adults"]


def test_it_disables_rules_and_changes_severity_from_config() -> None:
    config = parse_config({"disable": ["older-adults"], "severity": {"credibility-doubt": "error"}})
    report = audit_text("The elderly client claims pain.", profile="notes", config=config)
    assert [(f.rule, f.severity) for f in report.findings] == [("credibility-doubt", "error")]


def test_it_can_drop_quoted_speech_entirely() -> None:
    config = parse_config({"quoted_speech": "ignore"})
    assert rules_found('She said "I am an addict".', config=config) == []


@pytest.mark.parametrize(
    "data",
    [[], {"profile": "letters"}, {"fail_on": "fatal"}, {"surprise": 1}, {"allow": [3]}],
)
def test_it_rejects_a_bad_config(data) -> None:
    with pytest.raises(ConfigError):
        parse_config(data)
