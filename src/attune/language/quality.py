"""Score the engine against a labelled corpus: precision and recall per profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from attune.language.engine import audit_text
from attune.language.results import SEVERITY_RANK

FLAGGING_RANK = SEVERITY_RANK["warning"]


@dataclass(slots=True)
class Score:
    """Confusion counts for one profile, with the sentences that were wrong."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    missed: list[str] = field(default_factory=list)
    wrongly_flagged: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Return the share of flagged sentences that should have been flagged."""
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        """Return the share of flaggable sentences that were flagged."""
        flaggable = self.true_positive + self.false_negative
        return self.true_positive / flaggable if flaggable else 1.0

    def add(self, sentence: str, *, expected: bool, flagged: bool) -> None:
        """Count one sentence's outcome."""
        if expected and flagged:
            self.true_positive += 1
        elif expected:
            self.false_negative += 1
            self.missed.append(sentence)
        elif flagged:
            self.false_positive += 1
            self.wrongly_flagged.append(sentence)
        else:
            self.true_negative += 1


def load_corpus(path: str | Path) -> dict[str, dict[str, list[str]]]:
    """Read a corpus file: profile -> {"flag": [...], "clean": [...]}."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def is_flagged(sentence: str, profile: str) -> bool:
    """Return True when the engine reports a warning or error for the sentence."""
    report = audit_text(sentence, profile=profile)
    return any(SEVERITY_RANK[f.severity] >= FLAGGING_RANK for f in report.findings)


def score_corpus(corpus: dict[str, dict[str, list[str]]]) -> dict[str, Score]:
    """Return the engine's score on every profile of the corpus."""
    scores: dict[str, Score] = {}
    for profile, labelled in corpus.items():
        score = Score()
        for sentence in labelled.get("flag", []):
            score.add(sentence, expected=True, flagged=is_flagged(sentence, profile))
        for sentence in labelled.get("clean", []):
            score.add(sentence, expected=False, flagged=is_flagged(sentence, profile))
        scores[profile] = score
    return scores
