"""Rupture and safety rules: one response and the client's own history in, findings out.

Pure Python (no Django), so the rules can be read, tested and property-tested on their own.
A finding is a prompt for the therapist to talk with the client, never a grade: nothing here
compares clients with each other or therapists with each other.  Safety findings are a kind of
their own and are never mixed with rupture findings.

The thresholds are per agency: ``rule_settings(overrides)`` merges an agency's overrides (the
``ATTUNE_SIGNAL_RULES`` setting) into ``DEFAULT_RULES`` and checks them.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any

SAFETY = "safety"
RUPTURE = "rupture"


class Reason(StrEnum):
    """Why a check-in raised an alert.  One alert lists all its reasons; the list can grow.

    A new rule adds a member here, a label in ``REASON_LABELS`` and a prompt in
    ``SUGGESTED_OPENINGS``; the stored alerts keep the value (the rule's name).
    """

    SAFETY_ITEM = "safety_item"
    LOW_SESSION_TOTAL = "low_session_total"
    DROP_FROM_BASELINE = "drop_from_baseline"
    LOW_HUMILITY_ITEM = "low_humility_item"
    RELIABLE_DETERIORATION = "reliable_deterioration"
    NOT_ON_TRACK = "not_on_track"


LOW_SESSION_TOTAL = Reason.LOW_SESSION_TOTAL.value
DROP_FROM_BASELINE = Reason.DROP_FROM_BASELINE.value
LOW_HUMILITY_ITEM = Reason.LOW_HUMILITY_ITEM.value
RELIABLE_DETERIORATION = Reason.RELIABLE_DETERIORATION.value
SAFETY_ITEM = Reason.SAFETY_ITEM.value
NOT_ON_TRACK = Reason.NOT_ON_TRACK.value

# What each reason is called where people read it (Today, Signals, repair logs, agendas).
REASON_LABELS = {
    SAFETY_ITEM: "Safety question answered",
    LOW_SESSION_TOTAL: "Below the low check-in threshold",
    DROP_FROM_BASELINE: "Lower than the client's usual",
    LOW_HUMILITY_ITEM: "Cultural-humility rating low",
    RELIABLE_DETERIORATION: "Reliably worse than at the start",
    NOT_ON_TRACK: "Not on track",
}

# A later total within this many points of the client's usual (or above it) is "back to usual":
# totals are means of 0-10 ratings, and half a point is one rating in eight four points lower.
BACK_TO_USUAL_MARGIN = 0.5


def reason_label(rule: str) -> str:
    """Return the words for a reason; an unknown (older or newer) name is shown as it is."""
    return REASON_LABELS.get(rule, rule.replace("_", " ").capitalize())


@dataclass(frozen=True)
class RuleSettings:
    """An agency's thresholds; every field has a documented default (docs/rupture-signals.md)."""

    # The instrument whose total and items the rupture rules read.
    session_instrument: str = "session-checkin"
    # A session check-in total (0–10) below this raises a signal.
    session_total_below: float = 6.0
    # A drop of at least this many points from the client's own baseline raises a signal.
    drop_from_baseline: float = 2.0
    # The baseline is the median of this many previous session check-in totals.
    baseline_size: int = 3
    # Any cultural-humility item rated at or below this raises a signal.
    humility_item_at_or_below: float = 4.0
    humility_items: tuple[str, ...] = (
        "curious",
        "respected-values",
        "fully-myself",
        "could-talk-about-it",
    )
    # Symptom measures whose reliable deterioration from the first score raises a signal.
    deterioration_instruments: tuple[str, ...] = ("phq9", "gad7")
    # An open alert is offered for closing once this many session check-ins in a row since it
    # are back at the client's usual level (never closed by itself).
    back_to_usual_checkins: int = 1

    def __post_init__(self) -> None:
        for name in ("session_total_below", "drop_from_baseline", "humility_item_at_or_below"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"signal rule {name} must be a number, not {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"signal rule {name} must be a number of at least 0")
        if isinstance(self.baseline_size, bool) or not isinstance(self.baseline_size, int):
            raise ValueError("signal rule baseline_size must be a whole number")
        if not 1 <= self.baseline_size <= 20:
            raise ValueError("signal rule baseline_size must be between 1 and 20")
        count = self.back_to_usual_checkins
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 10:
            raise ValueError("signal rule back_to_usual_checkins must be a whole number 1 to 10")
        for name in ("humility_items", "deterioration_instruments"):
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(entry, str) for entry in value):
                raise ValueError(f"signal rule {name} must be a list of names")


DEFAULT_RULES = RuleSettings()
RULE_NAMES = frozenset(entry.name for entry in fields(RuleSettings))


def rule_settings(overrides: Mapping[str, Any] | None) -> RuleSettings:
    """Return the default rules with an agency's ``overrides``; raise ValueError if unusable."""
    if not overrides:
        return DEFAULT_RULES
    if not isinstance(overrides, Mapping):
        raise ValueError("signal rules must be a mapping of rule names to values")
    unknown = set(overrides) - RULE_NAMES
    if unknown:
        raise ValueError(f"unknown signal rules: {', '.join(sorted(unknown))}")
    values = dict(overrides)
    for name in ("humility_items", "deterioration_instruments"):
        if name in values and isinstance(values[name], list):
            values[name] = tuple(values[name])
    return replace(DEFAULT_RULES, **values)


@dataclass(frozen=True)
class ResponseFacts:
    """What the rules need to know about one scored response."""

    instrument: str  # the instrument's short name: "session-checkin", "phq9", …
    total: float | None
    item_values: Mapping[str, Any] = field(default_factory=dict)
    safety_items: tuple[str, ...] = ()
    # The smallest change in total that counts as reliable, when the instrument defines one.
    reliable_change_threshold: float | None = None
    lower_is_better: bool = True
    # What each item is called where people read it (the instrument's own short text or item
    # text), by linkId; an item without one is named by its linkId.
    item_labels: Mapping[str, str] = field(default_factory=dict)
    # The instrument's title for people ("PHQ-9"); without one, its short name.
    instrument_title: str = ""


@dataclass(frozen=True)
class Finding:
    """One reason to talk: which rule, safety or rupture, and the facts that triggered it."""

    kind: str
    rule: str
    summary: str
    facts: Mapping[str, Any]


@dataclass(frozen=True)
class Alert:
    """What one response raises for the therapist: a kind, and every reason it was raised."""

    kind: str
    reasons: tuple[Finding, ...]

    @property
    def rule(self) -> str:
        """The first reason: the one the conversation prompt is chosen for."""
        return self.reasons[0].rule

    @property
    def summary(self) -> str:
        return " ".join(reason.summary for reason in self.reasons)


def alerts(findings: Sequence[Finding]) -> list[Alert]:
    """Group one response's findings into alerts: safety apart and first, one rupture alert.

    A low check-in that is below the threshold, below the client's usual and low on a humility
    item is one alert with three reasons, acknowledged once and repaired once.
    """
    grouped = []
    for kind in (SAFETY, RUPTURE):
        reasons = tuple(finding for finding in findings if finding.kind == kind)
        if reasons:
            grouped.append(Alert(kind, reasons))
    return grouped


def back_to_usual(
    before: Sequence[float | None],
    after: Sequence[float | None],
    rules: RuleSettings = DEFAULT_RULES,
) -> int | None:
    """Return where the latest run of totals back at the client's usual level starts, or None.

    ``before`` are the client's session totals before the alert's check-in, ``after`` those
    since, both oldest first.  The usual level is the baseline the rules use (the median of the
    last ``baseline_size`` totals before it); without one, the low check-in threshold.  A total
    within ``BACK_TO_USUAL_MARGIN`` of it, or above, is back.  The run must end with the latest
    scored total and hold at least ``back_to_usual_checkins`` totals; the index is into
    ``after``.  Skipped check-ins (no total) neither break nor count for the run.
    """
    reference = baseline(before, rules.baseline_size)
    if reference is None:
        reference = rules.session_total_below
    start, run = None, 0
    for index in range(len(after) - 1, -1, -1):
        total = after[index]
        if not _is_number(total):
            continue
        if total < reference - BACK_TO_USUAL_MARGIN:
            break
        start, run = index, run + 1
    if start is None or run < rules.back_to_usual_checkins:
        return None
    return start


def baseline(previous_totals: Sequence[float | None], size: int) -> float | None:
    """Return the median of the last ``size`` known totals, or None with fewer than ``size``."""
    known = [total for total in previous_totals if _is_number(total)]
    if len(known) < size:
        return None
    return float(statistics.median(known[-size:]))


def evaluate(
    current: ResponseFacts,
    previous_totals: Sequence[float | None],
    rules: RuleSettings = DEFAULT_RULES,
) -> list[Finding]:
    """Return the findings one response raises, safety findings first.

    ``previous_totals`` are the client's earlier totals on the same instrument, oldest first,
    not including ``current``.
    """
    findings: list[Finding] = []
    if current.safety_items:
        findings.append(
            Finding(
                SAFETY,
                SAFETY_ITEM,
                "A safety question was answered above its lowest option, or yes.",
                {"instrument": current.instrument, "items": list(current.safety_items)},
            )
        )
    if current.instrument == rules.session_instrument:
        findings.extend(_session_findings(current, previous_totals, rules))
    if current.instrument in rules.deterioration_instruments:
        findings.extend(_deterioration_findings(current, previous_totals))
    return findings


def _session_findings(
    current: ResponseFacts, previous_totals: Sequence[float | None], rules: RuleSettings
) -> list[Finding]:
    findings = []
    total = current.total if _is_number(current.total) else None
    if total is not None and total < rules.session_total_below:
        findings.append(
            Finding(
                RUPTURE,
                LOW_SESSION_TOTAL,
                f"The session check-in was {_show(total)} out of 10, "
                f"below {_show(rules.session_total_below)}.",
                {"total": total, "threshold": rules.session_total_below},
            )
        )
    reference = baseline(previous_totals, rules.baseline_size)
    if total is not None and reference is not None:
        drop = reference - total
        if drop >= rules.drop_from_baseline:
            findings.append(
                Finding(
                    RUPTURE,
                    DROP_FROM_BASELINE,
                    f"The session check-in fell {_show(drop)} points below this client's usual "
                    f"{_show(reference)}.",
                    {
                        "total": total,
                        "baseline": reference,
                        "drop": round(drop, 2),
                        "threshold": rules.drop_from_baseline,
                    },
                )
            )
    low_items = {
        link_id: value
        for link_id in rules.humility_items
        if _is_number(value := current.item_values.get(link_id))
        and value <= rules.humility_item_at_or_below
    }
    if low_items:
        findings.append(
            Finding(
                RUPTURE,
                LOW_HUMILITY_ITEM,
                f"Cultural-humility ratings at or below {_show(rules.humility_item_at_or_below)}: "
                + "; ".join(
                    f"“{item_label(link_id, current.item_labels)}” {_show(value)}"
                    for link_id, value in low_items.items()
                )
                + ".",
                {"items": low_items, "threshold": rules.humility_item_at_or_below},
            )
        )
    return findings


def _deterioration_findings(
    current: ResponseFacts, previous_totals: Sequence[float | None]
) -> list[Finding]:
    known = [total for total in previous_totals if _is_number(total)]
    threshold = current.reliable_change_threshold
    if not known or not _is_number(current.total) or not _is_number(threshold) or threshold <= 0:
        return []
    first = known[0]
    worse_by = current.total - first if current.lower_is_better else first - current.total
    if worse_by < threshold:
        return []
    return [
        Finding(
            RUPTURE,
            RELIABLE_DETERIORATION,
            f"{current.instrument_title or current.instrument}: {_show(current.total)} "
            "against a first score of "
            f"{_show(first)}, a reliable worsening (at least {_show(threshold)} points).",
            {"total": current.total, "first": first, "threshold": threshold},
        )
    ]


SUGGESTED_OPENINGS = {
    SAFETY_ITEM: (
        "Follow the agency's safety protocol today. You might open with: I saw your answer "
        "about thoughts of death or hurting yourself, and I want to make sure you are safe. "
        "Can we talk about it?"
    ),
    LOW_SESSION_TOTAL: (
        "You might ask: I read your check-in and it sounds like last time did not work well "
        "for you. I'd like to understand what happened from your side."
    ),
    DROP_FROM_BASELINE: (
        "You might say: your check-in was lower than usual. Was there something in our last "
        "session that didn't sit right? It's fine to tell me."
    ),
    LOW_HUMILITY_ITEM: (
        "You might ask, with curiosity rather than defence: I may have missed something about "
        "what matters to you or who you are. What would help me understand it better?"
    ),
    RELIABLE_DETERIORATION: (
        "You might say: your answers suggest things have become harder lately. What has "
        "changed, and is what we are doing still the right fit for you?"
    ),
    NOT_ON_TRACK: (
        "You might say: most people who started where you did feel some change by now, and "
        "your answers suggest it has not come yet. How does our work feel to you so far, and "
        "is there something we should try differently?"
    ),
}


def suggested_opening(rule: str) -> str:
    """Return a prompt (not a script) for opening the conversation a finding calls for."""
    return SUGGESTED_OPENINGS.get(rule, "You might ask the client how things are from their side.")


def item_label(link_id: str, labels: Mapping[str, str]) -> str:
    """Return an item's words for people: its label without a closing full stop, or its id."""
    label = str(labels.get(link_id) or "").strip()
    return label.rstrip(".") if label else link_id


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _show(value: float) -> str:
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded.is_integer() else str(rounded)
