"""Precision and recall of Attune's language audit per profile, with alex beside it.

Run from the repository root (after bench/language/setup-alex.sh for the alex columns):

    .venv/bin/python bench/language/quality.py

The labelled sentences are tests/language/corpus.yaml (written alongside the rules) and
tests/language/corpus-holdout.yaml (written after the rules were frozen, never used to tune
them), each reported on its own. A sentence counts as flagged by Attune
when it gets a finding at warning or error in its profile, and as flagged by alex when alex
reports any message for it. alex has no profiles, so it is scored on the forms sentences (the
comparison the issue asks for) and, for information, on the other profiles too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = ROOT / "tests" / "language" / "corpus.yaml"
HOLDOUT = ROOT / "tests" / "language" / "corpus-holdout.yaml"

from attune.language.quality import Score, load_corpus, score_corpus  # noqa: E402


def alex_counts(sentences: list[str]) -> list[int]:
    """Return how many messages alex gives each sentence (one node process for all)."""
    completed = subprocess.run(
        ["node", str(HERE / "alex_runner.mjs"), "sentences"],
        input=json.dumps(sentences),
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE,
    )
    return json.loads(completed.stdout)


def score_alex(labelled: dict[str, list[str]]) -> Score:
    """Score alex on one profile's sentences."""
    flag, clean = labelled.get("flag", []), labelled.get("clean", [])
    counts = alex_counts(flag + clean)
    score = Score()
    for sentence, count in zip(flag, counts[: len(flag)], strict=True):
        score.add(sentence, expected=True, flagged=count > 0)
    for sentence, count in zip(clean, counts[len(flag) :], strict=True):
        score.add(sentence, expected=False, flagged=count > 0)
    return score


def _row(name: str, profile: str, score: Score) -> str:
    return (
        f"{name:<8} {profile:<10} {score.precision:>9.3f} {score.recall:>7.3f} "
        f"{score.true_positive:>4} {score.false_positive:>4} {score.false_negative:>4} "
        f"{score.true_negative:>4}"
    )


def report(path: Path, *, with_alex: bool, show_errors: bool) -> bool:
    """Print one corpus's table; return True when Attune meets the targets on it."""
    corpus = load_corpus(path)
    ours = score_corpus(corpus)
    total = sum(len(group) for labelled in corpus.values() for group in labelled.values())
    print(f"corpus: {path.relative_to(ROOT)} ({total} labelled sentences)")
    print(f"{'tool':<8} {'profile':<10} {'precision':>9} {'recall':>7}   TP   FP   FN   TN")
    for profile, score in ours.items():
        print(_row("attune", profile, score))
    alex_scores: dict[str, Score] = {}
    if with_alex:
        for profile, labelled in corpus.items():
            alex_scores[profile] = score_alex(labelled)
            print(_row("alex", profile, alex_scores[profile]))
    if show_errors:
        for name, scores in (("attune", ours), ("alex", alex_scores)):
            for profile, score in scores.items():
                for sentence in score.missed:
                    print(f"  {name} {profile} missed: {sentence!r}")
                for sentence in score.wrongly_flagged:
                    print(f"  {name} {profile} wrongly flagged: {sentence!r}")
    return all(score.precision >= 0.9 and score.recall >= 0.9 for score in ours.values())


def main(argv: list[str] | None = None) -> int:
    """Print the tables; return 1 when Attune misses the 0.90 targets on the main corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-alex", action="store_true")
    parser.add_argument("--show-errors", action="store_true", help="list misclassified sentences")
    args = parser.parse_args(argv)
    with_alex = not args.skip_alex
    if with_alex and not (HERE / "node_modules" / "alex").exists():
        raise SystemExit("alex is not installed; run bench/language/setup-alex.sh first")
    met = report(CORPUS, with_alex=with_alex, show_errors=args.show_errors)
    print()
    report(HOLDOUT, with_alex=with_alex, show_errors=args.show_errors)
    print()
    print(
        "attune targets on the main corpus (precision and recall >= 0.90 per profile):",
        "met" if met else "NOT MET",
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
