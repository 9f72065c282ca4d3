"""The YAML rule packs: complete, citing the agreed sources, documented, compiled once."""

from __future__ import annotations

from pathlib import Path

import pytest

from attune.language.rulebook import (
    RulePackError,
    default_index,
    default_rulebook,
    load_rulebook,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "language-rules.md"
CITED = {"apa7", "nida", "park2021", "sun2022"}


def test_it_loads_every_rule_with_a_cited_source_and_suggestions() -> None:
    rulebook = default_rulebook()
    assert len(rulebook.rules) >= 30
    for rule in rulebook.rules:
        assert rule.source in CITED
        assert rule.suggestions and rule.phrases and rule.why
        assert rule.source_title in rule.message


def test_it_documents_every_rule() -> None:
    documented = DOCS.read_text(encoding="utf-8")
    missing = [rule.id for rule in default_rulebook().rules if f"`{rule.id}`" not in documented]
    assert missing == []


def test_it_builds_each_profile_index_once() -> None:
    assert default_index("notes") is default_index("notes")


def test_it_covers_the_required_topics() -> None:
    ids = {rule.id for rule in default_rulebook().rules}
    for required in (
        "honorific-forced",
        "sex-binary-only",
        "family-role-field",
        "family-role-pair",
        "christian-name",
        "maiden-name",
        "race-single-select",
        "outdated-identity-term",
        "disability-equipment-bound",
        "disability-handicapped",
        "disability-suffers-from",
        "mental-health-slur",
        "suicide-committed",
        "substance-person-label",
        "substance-abuse-term",
        "substance-clean-dirty",
        "immigration-slur",
        "generic-he",
        "generic-masculine",
        "gendered-role-word",
        "older-adults",
        "family-judgement",
        "sexual-preference",
        "identity-term-dated",
        "credibility-doubt",
        "disapproval-refused",
        "disapproval-noncompliant",
        "difficult-portrayal",
        "group-generalisation",
        "clinician-authority",
    ):
        assert required in ids


def test_it_rejects_a_pack_with_a_missing_field(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text("sources:\n  apa7: APA\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(
        "rules:\n  - id: x\n    category: c\n    profiles: [notes]\n    phrases: [a]\n"
        "    source: apa7\n    suggestions: [b]\n",
        encoding="utf-8",
    )
    with pytest.raises(RulePackError, match="missing why"):
        load_rulebook(tmp_path)
