"""Two numbers about a clinical note that name nobody: its words and its stigmatizing findings.

The equity report compares, by client group, how often notes use stigmatizing language per
1,000 words (the agency's own version of Sun et al. 2022).  Only these two integers leave the
note; its text stays encrypted where it is stored.

Which findings count: the categories below, the ones about how a person is described.

- From the notes rules (Park et al. 2021; Sun et al. 2022): ``credibility`` (doubting the
  client's account), ``disapproval`` (blaming: "refused", "non-compliant"), ``difficult`` (the
  "difficult patient" and negative descriptors such as "agitated" or "combative"),
  ``stereotyping`` (labels and generalisations about groups).
- From the shared person-first rules (APA 7, NIDA): ``disability``, ``mental-health``,
  ``substance-use``, ``suicide``, ``immigration``, ``identity``, ``family`` and ``age``.

Not counted: ``authority`` (wording about the clinician's own power, such as "was instructed
to": worth reviewing, but it describes the writer's stance rather than labelling the client),
and the form-only categories (``gender``, ``religion``, ``race-ethnicity``), which the notes
profile never reports.  Passages inside quotation marks are not counted either: they may be
the client's own words, which a note should keep.
"""

from __future__ import annotations

from dataclasses import dataclass

from attune.language.readability import _word_count
from attune.language.results import FileReport

STIGMATIZING_CATEGORIES: frozenset[str] = frozenset(
    {
        "credibility",
        "disapproval",
        "difficult",
        "stereotyping",
        "disability",
        "mental-health",
        "substance-use",
        "suicide",
        "immigration",
        "identity",
        "family",
        "age",
    }
)


@dataclass(frozen=True)
class NoteCounts:
    """A note's word count and how many of its findings are stigmatizing language."""

    word_count: int
    stigmatizing_findings: int


def word_count(text: str) -> int:
    """Return the number of words, counted as the readability grade counts them."""
    return _word_count(text)


def is_stigmatizing(finding) -> bool:
    """Return whether a finding counts towards the equity metric (see the module docstring)."""
    return finding.category in STIGMATIZING_CATEGORIES and not finding.quoted


def note_counts(report: FileReport) -> NoteCounts:
    """Return the counts of a note audited with the ``notes`` profile."""
    if report.profile != "notes":
        raise ValueError("stigmatizing findings are counted on the notes profile only")
    return NoteCounts(
        word_count=word_count(report.text),
        stigmatizing_findings=sum(1 for finding in report.findings if is_stigmatizing(finding)),
    )
