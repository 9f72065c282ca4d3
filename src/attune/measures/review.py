"""What a person must look at before an imported instrument is sent to a client.

A file's own arithmetic (a ``calculatedExpression`` total) and its weights are two statements
of the same score.  At import both are run on test responses (every item at its lowest
answer, at its highest, and each item alone at its highest), and:

- a weighted item that never moves the file's total is left out of Attune's total, so the
  scored range is the file's (``without_uncounted_items``);
- any test response on which the two disagree, and any answerable question without weights in
  an otherwise weighted instrument, becomes a finding, item by item
  (``review_findings``).  An instrument with findings is stored "needs review" and is not sent
  until a leader accepts it with a reason.

Pure: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from attune.measures.instrument import (
    CHOICE_TYPES,
    NUMERIC_TYPES,
    AnswerValue,
    Instrument,
    Item,
)

MAX_FINDINGS = 20


def _extreme(item: Item, highest: bool) -> tuple[AnswerValue, float] | None:
    """Return the answer giving the item's lowest (or highest) weight, and that weight."""
    if item.type in CHOICE_TYPES:
        weighted = [(option.weight, option) for option in item.options if option.weight is not None]
        if not weighted:
            return None
        weight, pick = (max if highest else min)(weighted, key=lambda pair: pair[0])
        return pick.code, float(weight)
    if item.type in NUMERIC_TYPES and item.min_value is not None and item.max_value is not None:
        value = item.max_value if highest else item.min_value
        if float(value).is_integer():
            value = int(value)
        return value, float(value)
    return None


def _run(instrument: Instrument, answers: Mapping[str, AnswerValue]) -> tuple[Any, Any, bool]:
    """Return (the file's total, the sum of weights, whether every shown scored item counted)."""
    return _run_shown(instrument, answers)[:3]


def _run_shown(
    instrument: Instrument, answers: Mapping[str, AnswerValue]
) -> tuple[Any, Any, bool, set[str]]:
    from attune.measures.scoring import _enabled_and_calculated, _scored_values

    checked: dict[str, tuple[AnswerValue, ...]] = {
        link_id: (value,) for link_id, value in answers.items()
    }
    notes: list[str] = []
    enabled, calculated = _enabled_and_calculated(instrument, checked, notes)
    failed = [note for note in notes if "failed" in note]
    if failed:
        raise ValueError(failed[0])
    values, missing = _scored_values(instrument, checked, enabled)
    assert instrument.scoring is not None and instrument.scoring.total_item is not None
    if instrument.scoring.total_item not in enabled:
        return None, None, False, enabled
    total = calculated.get(instrument.scoring.total_item)
    return total, math.fsum(values.values()), not missing, enabled


def _highest_answers(
    instrument: Instrument, base: Mapping[str, AnswerValue]
) -> dict[str, AnswerValue]:
    return {
        **base,
        **{
            item.link_id: found[0]
            for item in instrument.scored_items()
            if (found := _extreme(item, highest=True)) is not None
        },
    }


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _lowest_answers(instrument: Instrument) -> dict[str, AnswerValue] | None:
    answers: dict[str, AnswerValue] = {}
    for item in instrument.scored_items():
        found = _extreme(item, highest=False)
        if found is None:
            return None
        answers[item.link_id] = found[0]
    return answers


def _comparable(instrument: Instrument) -> bool:
    scoring = instrument.scoring
    return scoring is not None and scoring.total_item is not None and bool(scoring.items)


def without_uncounted_items(instrument: Instrument) -> Instrument:
    """Return ``instrument`` with weighted items the file's own total never counts left out.

    A teen depression form may weigh a follow-up question it does not add to its total; the
    total's range is then the file's, not inflated by that question.  When the file's total
    moves with none of the items, nothing is left out (a total that never moves is a fault of
    the file, reported by ``review_findings``).
    """
    if not _comparable(instrument):
        return instrument
    assert instrument.scoring is not None
    base = _lowest_answers(instrument)
    if base is None:
        return instrument
    highest = _highest_answers(instrument, base)
    moved: dict[str, bool] = {}
    # Tested from every item at its lowest answer and from every item at its highest, so an
    # item shown only after a higher answer elsewhere is tested where it is shown.
    for start, to_highest in ((base, True), (highest, False)):
        try:
            start_total, _, _, shown = _run_shown(instrument, start)
        except Exception:  # noqa: BLE001 - an evaluation fault is reported by review_findings
            return instrument
        if not _is_number(start_total):
            continue
        for item in instrument.scored_items():
            low, high = _extreme(item, highest=False), _extreme(item, highest=True)
            if low is None or high is None or low[1] == high[1] or item.link_id not in shown:
                continue
            changed = {**start, item.link_id: (high if to_highest else low)[0]}
            try:
                total, _, _, _ = _run_shown(instrument, changed)
            except Exception:  # noqa: BLE001
                return instrument
            if not _is_number(total) or not math.isclose(total, start_total):
                moved[item.link_id] = True
            else:
                moved.setdefault(item.link_id, False)
    uncounted = [link_id for link_id, did_move in moved.items() if not did_move]
    if not uncounted or len(uncounted) == len(instrument.scoring.items):
        return instrument
    scoring = replace(
        instrument.scoring,
        items=tuple(link_id for link_id in instrument.scoring.items if link_id not in uncounted),
    )
    warnings = tuple(
        f"item {link_id!r} has weights but the file's total does not count it; "
        "it is left out of the total"
        for link_id in uncounted
    )
    return replace(instrument, scoring=scoring, warnings=(*instrument.warnings, *warnings))


def review_findings(instrument: Instrument) -> tuple[str, ...]:
    """Return, item by item, what makes the instrument's score uncertain; empty when none."""
    findings = _unweighted_findings(instrument) + _disagreement_findings(instrument)
    if len(findings) > MAX_FINDINGS:
        findings = findings[:MAX_FINDINGS] + [f"and {len(findings) - MAX_FINDINGS} more"]
    return tuple(findings)


def _unweighted_findings(instrument: Instrument) -> list[str]:
    from attune.measures.known_instruments import recognise

    choices = [
        item
        for item in instrument.all_items()
        if item.type in CHOICE_TYPES and not item.is_calculated and not item.repeats
    ]
    if not any(item.has_weights for item in choices):
        return []
    findings: list[str] = []
    partly = [
        item
        for item in choices
        if not item.has_weights and any(o.weight is not None for o in item.options)
    ]
    for item in partly:
        findings.append(f"item {item.link_id!r}: some of its answers have weights and others none")
    if recognise(instrument) is not None:
        return findings  # a known instrument: its unweighted questions are known not to count
    for item in choices:
        if item in partly or item.has_weights:
            continue
        findings.append(
            f"item {item.link_id!r}: a question without weights in a weighted instrument; "
            "its answers add nothing to the total"
        )
    return findings


def _disagreement_findings(instrument: Instrument) -> list[str]:
    if not _comparable(instrument):
        return []
    base = _lowest_answers(instrument)
    if base is None:
        return []
    highest = _highest_answers(instrument, base)
    findings: list[str] = []

    def check(answers: Mapping[str, AnswerValue], described: str) -> tuple[Any, Any] | None:
        try:
            file_total, weights, complete = _run(instrument, answers)
        except Exception as error:  # noqa: BLE001 - an evaluation fault is the finding
            findings.append(f"{described}, the file's total cannot be computed ({error})")
            return None
        if not complete:
            return None
        if not _is_number(file_total):
            findings.append(f"{described}, the file's total gives {file_total!r}, not a number")
            return None
        if not math.isclose(file_total, weights, abs_tol=0.005):
            return file_total, weights
        return None

    lowest = check(base, "with every item at its lowest answer")
    if lowest is not None:
        findings.append(
            f"with every item at its lowest answer the file's total is {_text(lowest[0])}, "
            f"the weights add up to {_text(lowest[1])}"
        )
    top = check(highest, "with every item at its highest answer")
    if top is not None:
        findings.append(
            f"with every item at its highest answer the file's total is {_text(top[0])}, "
            f"the weights add up to {_text(top[1])}"
        )
    try:
        base_total, base_weights, _ = _run(instrument, base)
    except Exception:  # noqa: BLE001 - already reported above
        return findings
    for item in instrument.scored_items():
        if item.link_id not in highest or highest[item.link_id] == base[item.link_id]:
            continue
        answers = {**base, item.link_id: highest[item.link_id]}
        found = check(answers, f"item {item.link_id!r}: at its highest answer")
        if found is None or not _is_number(base_total):
            continue
        findings.append(
            f"item {item.link_id!r}: its highest answer moves the file's total by "
            f"{_text(found[0] - base_total)}, the weights by {_text(found[1] - base_weights)}"
        )
    return findings


def _text(number: float) -> str:
    rounded = round(float(number), 2)
    return str(int(rounded)) if rounded.is_integer() else str(rounded)
