"""Plain data returned by the audit engine: findings, form checks, readability, reports."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES: tuple[str, ...] = ("info", "warning", "error")
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}
PROFILES: tuple[str, ...] = ("forms", "materials", "notes")
CHECK_STATUSES: tuple[str, ...] = ("present", "missing", "not_applicable")


@dataclass(frozen=True, slots=True)
class Finding:
    """One passage that a rule flags, with 1-based line/column positions.

    ``start_offset``/``end_offset`` index into ``FileReport.text`` so a page can highlight the
    passage in place without recomputing columns.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    rule: str
    category: str
    severity: str
    message: str
    suggestions: tuple[str, ...]
    start_offset: int
    end_offset: int
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one structural check of a whole form."""

    check: str
    status: str
    message: str


@dataclass(frozen=True, slots=True)
class HardSentence:
    """A sentence above the target reading grade, with where it starts."""

    line: int
    grade: float
    text: str


@dataclass(frozen=True, slots=True)
class Readability:
    """Reading grade of the client-facing text and the sentences that push it up."""

    grade: float
    method: str
    target_grade: float = 8.0
    hardest_sentences: tuple[HardSentence, ...] = ()


@dataclass(slots=True)
class FileReport:
    """Everything the engine found in one input."""

    path: str
    profile: str
    findings: list[Finding]
    checks: list[Check]
    readability: Readability
    text: str = ""
    lines: list[str] = field(default_factory=list)

    def worst_severity(self) -> str | None:
        """Return the highest severity among the findings, or None when there are none."""
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__)


@dataclass(slots=True)
class Question:
    """One question of a form, as far as its source format reveals it.

    ``options`` is None when the answers come from somewhere the engine cannot see (a FHIR
    value set, say); an empty tuple means free text.
    """

    text: str
    kind: str  # "free_text", "single_choice", "multi_choice", "yes_no", "unknown"
    options: tuple[str, ...] | None = ()
    allows_free_text: bool = False
    required: bool = False
    source: str = ""
    line: int = 0
    value_set: str = ""
    labelled: bool = True


@dataclass(slots=True)
class FormModel:
    """The questions of a form plus its visible wording, for structural checks."""

    questions: list[Question] = field(default_factory=list)
    full_text: str = ""
    is_form: bool = False
    has_label_data: bool = False
