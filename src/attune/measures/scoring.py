"""The scoring engine: answers in, a total, band and part scores out; then change over time.

Pure functions over the instrument model. ``score`` never guesses: when too many scored items
are unanswered the total is None, and a prorated total says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from attune.measures.fhir_export import questionnaire_from_instrument
from attune.measures.fhirpath_sdc import (
    evaluate_expression,
    plain_value,
    sdc_function_table,
)
from attune.measures.instrument import (
    CHOICE_TYPES,
    AnswerValue,
    EnableOperator,
    EnableWhen,
    Instrument,
    Item,
    ItemType,
    RecoveryRule,
)
from attune.measures.responses import (
    NormalisedAnswers,
    build_questionnaire_response,
    normalise_answers,
)
from attune.measures.safety import raised_safety_items


@dataclass(frozen=True)
class ScoreResult:
    """The outcome of scoring one set of answers."""

    instrument: str
    total: float | None
    band: str | None
    items_answered: int
    items_missing: int
    missing_items: tuple[str, ...] = ()
    subscales: Mapping[str, float | None] = field(default_factory=dict)
    prorated: bool = False
    in_clinical_range: bool | None = None
    safety_items: tuple[str, ...] = ()
    calculated: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    # Set, with the reason in words, when the engine could not compute the total with
    # certainty (the file's total disagrees with its weights, or its formula failed): the
    # total is then None, never a number the engine does not stand behind.
    could_not_score: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON-ready data."""
        data = asdict(self)
        data["missing_items"] = list(self.missing_items)
        data["safety_items"] = list(self.safety_items)
        data["notes"] = list(self.notes)
        data["subscales"] = dict(self.subscales)
        data["calculated"] = dict(self.calculated)
        return data


class ChangeStatus(StrEnum):
    """The Jacobson–Truax reading of a change between two totals."""

    IMPROVED = "reliably improved"
    DETERIORATED = "reliably deteriorated"
    NO_RELIABLE_CHANGE = "no reliable change"


@dataclass(frozen=True)
class ReliableChange:
    """The change from a first to a last total, and whether it is more than measurement noise."""

    difference: float
    threshold: float
    status: ChangeStatus
    index: float | None = None


def score(instrument: Instrument, answers: Mapping[str, Any]) -> ScoreResult:
    """Score ``answers`` (keyed by linkId) on ``instrument``.

    Raises ``ResponseError`` when an answer does not fit its item; any set of answers that
    fits gives a result.
    """
    checked = normalise_answers(instrument, answers)
    notes: list[str] = []
    enabled, calculated = _enabled_and_calculated(instrument, checked, notes)
    ignored = sorted(link_id for link_id in checked if link_id not in enabled)
    if ignored:
        notes.append("answers to items not shown were ignored: " + ", ".join(ignored))
    scoring = instrument.scoring
    if scoring is None:
        answered = sum(
            1
            for item in instrument.all_items()
            if item.link_id in checked and item.link_id in enabled
        )
        return ScoreResult(
            instrument=instrument.key,
            total=None,
            band=None,
            items_answered=answered,
            items_missing=0,
            safety_items=_safety_items(instrument, checked, enabled),
            calculated=calculated,
            notes=tuple(notes),
        )
    values, missing = _scored_values(instrument, checked, enabled)
    total, prorated = _combine(
        list(values.values()),
        len(missing),
        scoring.method,
        scoring.max_missing,
        instrument.total_range(),
    )
    problem = None
    if scoring.total_item is not None and scoring.total_item in enabled:
        total, problem = _checked_calculated_total(
            total,
            calculated.get(scoring.total_item),
            has_weights=bool(scoring.items),
            missing=missing,
            prorated=prorated,
            answered=bool(checked),
            notes=notes,
        )
    band = scoring.band_for(total) if total is not None else None
    return ScoreResult(
        instrument=instrument.key,
        total=total,
        band=band.label.default if band is not None else None,
        items_answered=len(values),
        items_missing=len(missing),
        missing_items=tuple(missing),
        subscales=_subscale_scores(instrument, values, enabled),
        prorated=prorated,
        in_clinical_range=None if total is None else scoring.in_clinical_range(total),
        safety_items=_safety_items(instrument, checked, enabled),
        calculated=calculated,
        notes=tuple(notes),
        could_not_score=problem,
    )


def _scored_values(
    instrument: Instrument, answers: NormalisedAnswers, enabled: set[str]
) -> tuple[dict[str, float], list[str]]:
    """Return the value of each answered, shown scored item, and the shown ones unanswered."""
    scoring = instrument.scoring
    if scoring is None:
        return {}, []
    by_link_id = instrument.items_by_link_id()
    reverse = set(scoring.reverse_items)
    values: dict[str, float] = {}
    missing: list[str] = []
    for link_id in scoring.items:
        if link_id not in enabled:
            continue
        value = _item_value(by_link_id[link_id], answers.get(link_id), link_id in reverse)
        if value is None:
            missing.append(link_id)
        else:
            values[link_id] = value
    return values, missing


def _subscale_scores(
    instrument: Instrument, values: Mapping[str, float], enabled: set[str]
) -> dict[str, float | None]:
    """Return each subscale's score under the instrument's missing-item rule."""
    scoring = instrument.scoring
    if scoring is None:
        return {}
    by_link_id = instrument.items_by_link_id()
    scores: dict[str, float | None] = {}
    for subscale in scoring.subscales:
        shown = [link_id for link_id in subscale.items if link_id in enabled]
        answered = [values[link_id] for link_id in shown if link_id in values]
        scores[subscale.name], _ = _combine(
            answered,
            len(shown) - len(answered),
            subscale.method,
            min(scoring.max_missing, max(len(shown) - 1, 0)),
            _range_of([by_link_id[link_id] for link_id in shown], subscale.method),
        )
    return scores


def missing_required(instrument: Instrument, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the linkIds of required items that are shown but unanswered, in order.

    For a form to ask again before submitting; scoring itself copes with gaps by its
    missing-item rule. Raises ``ResponseError`` when an answer does not fit its item.
    """
    checked = normalise_answers(instrument, answers)
    enabled = enabled_items(instrument, checked)
    return tuple(
        item.link_id
        for item in instrument.all_items()
        if item.required
        and item.link_id in enabled
        and not item.is_calculated
        and item.type not in (ItemType.GROUP, ItemType.DISPLAY)
        and item.link_id not in checked
    )


def enabled_items(instrument: Instrument, answers: NormalisedAnswers) -> set[str]:
    """Return the linkIds shown for these answers.

    An item is shown when its enableWhen conditions and its SDC ``enableWhenExpression`` hold,
    and its parent is shown.
    """
    return _enabled_and_calculated(instrument, answers, [])[0]


def _enabled_by_conditions(
    instrument: Instrument, answers: NormalisedAnswers, hidden: set[str]
) -> set[str]:
    """Return the items enableWhen shows, leaving out ``hidden`` (and their children)."""
    enabled: set[str] = set()
    by_link_id = instrument.items_by_link_id()
    # Conditions may point at later items; settle to a fixed point (at most one pass per item).
    for _ in range(len(by_link_id) + 1):
        now: set[str] = set()
        _mark_enabled(instrument.items, answers, enabled, now, hidden)
        if now == enabled:
            break
        enabled = now
    return enabled


def _mark_enabled(
    items: Sequence[Item],
    answers: NormalisedAnswers,
    previous: set[str],
    now: set[str],
    hidden: set[str],
) -> None:
    for item in items:
        if item.link_id not in hidden and _conditions_hold(item, answers, previous):
            now.add(item.link_id)
            _mark_enabled(item.items, answers, previous, now, hidden)


def _enabled_and_calculated(
    instrument: Instrument, answers: NormalisedAnswers, notes: list[str]
) -> tuple[set[str], dict[str, Any]]:
    """Return the shown items and the calculated values, settled together.

    ``enableWhenExpression`` reads answers (and variables) of shown items, and what is shown
    decides which answers count, so the two are computed in turn until neither changes.
    """
    with_expression = [
        item.link_id for item in instrument.all_items() if item.enable_when_expression is not None
    ]
    hidden: set[str] = set()
    limit = len(with_expression) + 2
    for round_number in range(limit):
        enabled = _enabled_by_conditions(instrument, answers, hidden)
        round_notes: list[str] = []
        calculated, expression_says = _calculate(instrument, answers, enabled, round_notes)
        now_hidden = {link_id for link_id, shown in expression_says.items() if not shown}
        if now_hidden == hidden or round_number == limit - 1:
            if now_hidden != hidden:
                round_notes.append("enableWhenExpression did not settle; last result used")
            notes.extend(round_notes)
            return enabled, calculated
        hidden = now_hidden
    raise AssertionError("unreachable")  # pragma: no cover


def _conditions_hold(item: Item, answers: NormalisedAnswers, enabled: set[str]) -> bool:
    if not item.enable_when:
        return True
    results = [_condition_holds(condition, answers, enabled) for condition in item.enable_when]
    return all(results) if item.enable_behavior == "all" else any(results)


def _condition_holds(condition: EnableWhen, answers: NormalisedAnswers, enabled: set[str]) -> bool:
    # An answer to an item that is itself hidden does not count.
    given = answers.get(condition.question, ()) if condition.question in enabled else ()
    if condition.operator is EnableOperator.EXISTS:
        return bool(given) == bool(condition.answer)
    if not given:
        return False
    if condition.operator is EnableOperator.NOT_EQUALS:
        return all(not _equal(value, condition.answer) for value in given)
    return any(_compare(value, condition.operator, condition.answer) for value in given)


def _equal(given: AnswerValue, expected: AnswerValue) -> bool:
    if isinstance(given, bool) or isinstance(expected, bool):
        return given is expected
    if isinstance(given, int | float) and isinstance(expected, int | float):
        return float(given) == float(expected)
    return str(given) == str(expected)


def _compare(given: AnswerValue, operator: EnableOperator, expected: AnswerValue) -> bool:
    if operator is EnableOperator.EQUALS:
        return _equal(given, expected)
    try:
        left: Any = float(given) if not isinstance(given, bool) else None
        right: Any = float(expected) if not isinstance(expected, bool) else None
    except (TypeError, ValueError):
        left, right = str(given), str(expected)
    if left is None or right is None:
        return False
    return {
        EnableOperator.GREATER: left > right,
        EnableOperator.LESS: left < right,
        EnableOperator.GREATER_OR_EQUAL: left >= right,
        EnableOperator.LESS_OR_EQUAL: left <= right,
    }[operator]


def _item_value(item: Item, given: tuple[AnswerValue, ...] | None, reverse: bool) -> float | None:
    if not given:
        return None
    answer = given[0]
    value: float | None
    if item.type in CHOICE_TYPES:
        option = item.option(str(answer))
        value = option.weight if option is not None else None
    elif item.type is ItemType.BOOLEAN:
        value = 1.0 if answer is True else 0.0
    elif isinstance(answer, int | float) and not isinstance(answer, bool):
        value = float(answer)
    else:
        value = None
    if value is None:
        return None
    if reverse:
        value_range = item.value_range()
        if value_range is not None:
            value = value_range[0] + value_range[1] - value
    return value


def _combine(
    values: Sequence[float],
    missing: int,
    method: str,
    max_missing: int,
    bounds: tuple[float, float] | None,
) -> tuple[float | None, bool]:
    """Return (total, prorated) under the missing-item rule."""
    if not values or missing > max_missing:
        return None, False
    mean = math.fsum(values) / len(values)
    if method == "mean":
        return tidy(mean), missing > 0
    if missing == 0:
        return tidy(math.fsum(values)), False
    # Prorated totals are rounded to whole points, halves up, as the PHQ family's authors do.
    prorated = float(Decimal(repr(mean * (len(values) + missing))).quantize(0, ROUND_HALF_UP))
    if bounds is not None:
        prorated = min(max(prorated, bounds[0]), bounds[1])
    return tidy(prorated), True


def _range_of(items: Sequence[Item], method: str) -> tuple[float, float] | None:
    ranges = [item.value_range() for item in items]
    known = [value_range for value_range in ranges if value_range is not None]
    if not known:
        return None
    if method == "sum":
        return (sum(low for low, _ in known), sum(high for _, high in known))
    return (min(low for low, _ in known), max(high for _, high in known))


def _checked_calculated_total(
    engine_total: float | None,
    calculated_total: Any,
    *,
    has_weights: bool,
    missing: list[str],
    prorated: bool,
    answered: bool,
    notes: list[str],
) -> tuple[float | None, str | None]:
    """Return the total and, when it cannot be given with certainty, why.

    With weights, the file's calculated total must equal their sum: a disagreement is a fact
    about the file, not a tie to break, so the result is "could not score" with both numbers.
    Without weights (a formula such as a risk score) the file's value is the total.  With
    items missing the file's arithmetic usually counts them as 0, so Attune's missing-item
    rule (prorate or no score) decides instead.
    """
    if missing or prorated:
        return engine_total, None
    if calculated_total is None:
        if has_weights or not answered:
            return engine_total, None
        return None, "the file's formula for the total gave no value for these answers"
    if isinstance(calculated_total, bool) or not isinstance(calculated_total, int | float):
        return None, f"the file's calculated total {calculated_total!r} is not a number"
    if not math.isfinite(calculated_total):
        return None, f"the file's calculated total {calculated_total!r} is not a number"
    if not has_weights:
        return tidy(float(calculated_total)), None
    if engine_total is not None and not math.isclose(engine_total, calculated_total, abs_tol=0.005):
        return None, (
            f"the file's calculated total {tidy(float(calculated_total))} differs from the sum "
            f"of the answers' weights {engine_total}"
        )
    return engine_total, None


def _safety_items(
    instrument: Instrument, answers: NormalisedAnswers, enabled: set[str]
) -> tuple[str, ...]:
    # Thresholds per kind of item: attune.measures.safety (docs/instruments.md, "Safety items").
    return raised_safety_items(instrument, answers, enabled)


def _weight_lookup(instrument: Instrument) -> Callable[[str | None, str], float | None]:
    """Return a function giving the weight of a coding anywhere in the instrument."""
    weights: dict[tuple[str | None, str], float] = {}
    for item in instrument.all_items():
        for option in item.options:
            if option.weight is not None:
                weights.setdefault((option.system, option.code), option.weight)
                # Responses often omit the system; the code alone still finds the weight.
                weights.setdefault((None, option.code), option.weight)

    def weight_of(system: str | None, code: str) -> float | None:
        found = weights.get((system, code))
        return found if found is not None else weights.get((None, code))

    return weight_of


def _calculate(
    instrument: Instrument,
    answers: NormalisedAnswers,
    enabled: set[str],
    notes: list[str],
) -> tuple[dict[str, Any], dict[str, bool]]:
    """Evaluate every calculated item and ``enableWhenExpression`` with FHIRPath, in order.

    Each result is written into the response before the next expression runs, so a later
    calculated item can read an earlier one.  Returns the calculated values and, for each
    item with an ``enableWhenExpression``, whether it says to show the item (an expression
    that fails shows it: a question is never hidden on a guess).
    """
    if not any(
        item.is_calculated or item.enable_when_expression is not None
        for item in instrument.all_items()
    ):
        return {}, {}
    functions = sdc_function_table(_weight_lookup(instrument))
    questionnaire = instrument.source_questionnaire or questionnaire_from_instrument(instrument)
    shown = {link_id: values for link_id, values in answers.items() if link_id in enabled}
    calculated: dict[str, Any] = {}
    expression_says: dict[str, bool] = {}

    pass_notes: list[str] = []
    saw_empty = False

    def run(expression: str, what: str, link_id: str, variables: dict[str, Any]) -> list[Any]:
        nonlocal saw_empty
        response = build_questionnaire_response(instrument, shown, calculated=calculated)
        try:
            result = evaluate_expression(
                expression,
                response=response,
                questionnaire=questionnaire,
                variables=variables,
                functions=functions,
            )
        except Exception as error:  # an instrument's formula must not crash scoring
            pass_notes.append(f"item {link_id!r}: {what} failed ({error})")
            return []
        saw_empty = saw_empty or not result
        return result

    def visit(items: Sequence[Item], inherited: dict[str, Any]) -> None:
        for item in items:
            variables = dict(inherited)
            for variable in item.variables:
                variables[variable.name] = run(
                    variable.expression, f"variable %{variable.name}", item.link_id, variables
                )
            if item.enable_when_expression is not None:
                failures = len(pass_notes)
                result = run(
                    item.enable_when_expression, "enableWhenExpression", item.link_id, variables
                )
                expression_says[item.link_id] = len(pass_notes) > failures or (
                    plain_value(result) is True
                )
            if item.calculated_expression is not None and item.link_id in enabled:
                result = run(
                    item.calculated_expression, "calculated expression", item.link_id, variables
                )
                calculated[item.link_id] = plain_value(result)
                if item.calculated_name:  # a named expression: a variable of the children
                    variables[item.calculated_name] = result
            visit(item.items, variables)

    # A variable may read a calculated item that comes later in the file (LHC-Forms settles
    # such forms by evaluating again): while something came out empty, evaluate again with
    # the values found so far, until nothing changes.
    passes = sum(1 for item in instrument.all_items() if item.is_calculated) + 1
    for _ in range(passes):
        before = dict(calculated)
        pass_notes.clear()
        saw_empty = False
        root: dict[str, Any] = {}
        for variable in instrument.variables:
            root[variable.name] = run(variable.expression, f"variable %{variable.name}", "", root)
        visit(instrument.items, root)
        if not saw_empty or calculated == before:
            break
    notes.extend(pass_notes)
    return calculated, expression_says


def tidy(value: float) -> float:
    """Return ``value`` rounded to two places, as an int when it is whole."""
    rounded = round(value, 2)
    return int(rounded) if float(rounded).is_integer() else rounded


def _total_of(result: ScoreResult | float | int | None) -> float | None:
    if isinstance(result, ScoreResult):
        return result.total
    if result is None or isinstance(result, bool):
        return None
    return float(result)


def reliable_change(
    first: ScoreResult | float | None, last: ScoreResult | float | None, instrument: Instrument
) -> ReliableChange | None:
    """Return the Jacobson–Truax reliable change from ``first`` to ``last``.

    The threshold is 1.96·SD·√(2·(1−r)) when the instrument stores SD and reliability, else its
    fixed threshold. Returns None when either total is missing or no threshold is defined.
    """
    first_total, last_total = _total_of(first), _total_of(last)
    scoring = instrument.scoring
    if first_total is None or last_total is None or scoring is None:
        return None
    spec = scoring.reliable_change
    threshold = spec.threshold_points() if spec is not None else None
    if spec is None or threshold is None:
        return None
    difference = last_total - first_total
    improvement = -difference if scoring.direction == "lower_is_better" else difference
    index = None
    if spec.standard_deviation is not None and spec.reliability is not None:
        index = difference / (threshold / 1.96)
    if improvement >= threshold:
        status = ChangeStatus.IMPROVED
    elif improvement <= -threshold:
        status = ChangeStatus.DETERIORATED
    else:
        status = ChangeStatus.NO_RELIABLE_CHANGE
    return ReliableChange(
        difference=tidy(difference),
        threshold=tidy(threshold),
        status=status,
        index=None if index is None else round(index, 2),
    )


def recovered(
    first: ScoreResult | float | None, last: ScoreResult | float | None, instrument: Instrument
) -> bool | None:
    """Return whether the client recovered from ``first`` to ``last``.

    Recovered means starting in the clinical range, ending outside it, and (by default) a
    reliable improvement. None when a total is missing or the instrument has no cut-off.
    """
    first_total, last_total = _total_of(first), _total_of(last)
    scoring = instrument.scoring
    if first_total is None or last_total is None or scoring is None:
        return None
    if scoring.clinical_cutoff is None:
        return None
    rule = scoring.recovery or RecoveryRule()
    crossed = bool(scoring.in_clinical_range(first_total)) and not scoring.in_clinical_range(
        last_total
    )
    if not crossed:
        return False
    if not rule.requires_reliable_improvement:
        return True
    change = reliable_change(first_total, last_total, instrument)
    return change is not None and change.status is ChangeStatus.IMPROVED
