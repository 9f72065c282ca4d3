"""Whole-instrument checks, run whenever an ``Instrument`` is built.

Each check raises ``InstrumentError`` naming the item at fault, so a clinic that loads a
broken file learns which item to fix, and no half-usable instrument reaches the database.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from attune.measures.errors import InstrumentError
from attune.measures.fhirpath_sdc import check_expression
from attune.measures.instrument import (
    ANSWERABLE_TYPES,
    CHOICE_TYPES,
    NUMERIC_TYPES,
    EnableOperator,
    Item,
    ItemType,
)

if TYPE_CHECKING:
    from attune.measures.instrument import Instrument, ScoringSpec


def check_instrument(instrument: Instrument) -> None:
    """Raise ``InstrumentError`` for the first thing that makes ``instrument`` unusable."""
    if not instrument.url:
        raise InstrumentError("the instrument has no url")
    items = list(instrument.all_items())
    if not items:
        raise InstrumentError("the instrument has no items")
    duplicates = [link_id for link_id, n in Counter(i.link_id for i in items).items() if n > 1]
    if duplicates:
        raise InstrumentError("linkId is used more than once", link_id=duplicates[0])
    by_link_id = {item.link_id: item for item in items}
    for item in items:
        _check_item(item, by_link_id)
    _check_expressions(instrument)
    if instrument.scoring is not None:
        _check_scoring(instrument.scoring, by_link_id)


def _check_item(item: Item, by_link_id: dict[str, Item]) -> None:
    if not item.link_id or not item.link_id.strip():
        raise InstrumentError("an item has an empty linkId")
    if item.type is ItemType.GROUP and not item.items:
        raise InstrumentError("a group must contain items", link_id=item.link_id)
    if item.type is ItemType.DISPLAY and item.items:
        raise InstrumentError("a display item cannot contain items", link_id=item.link_id)
    if item.type is ItemType.CHOICE and not item.options:
        raise InstrumentError("a choice item needs answer options", link_id=item.link_id)
    if item.options and item.type not in CHOICE_TYPES:
        raise InstrumentError(
            f"a {item.type.value} item cannot have answer options", link_id=item.link_id
        )
    codes = Counter(option.code for option in item.options)
    repeated = [code for code, n in codes.items() if n > 1]
    if repeated:
        raise InstrumentError(f"answer code {repeated[0]!r} appears twice", link_id=item.link_id)
    if item.min_value is not None and item.max_value is not None:
        if item.min_value > item.max_value:
            raise InstrumentError("minimum is above maximum", link_id=item.link_id)
    if (item.min_value is not None or item.max_value is not None) and (
        item.type not in NUMERIC_TYPES
    ):
        raise InstrumentError(
            f"a {item.type.value} item cannot have a numeric range", link_id=item.link_id
        )
    if item.safety and item.type not in ANSWERABLE_TYPES:
        raise InstrumentError("only a question can be a safety item", link_id=item.link_id)
    for condition in item.enable_when:
        if condition.question not in by_link_id:
            raise InstrumentError(
                f"enableWhen refers to unknown item {condition.question!r}", link_id=item.link_id
            )
        if condition.question == item.link_id:
            raise InstrumentError("enableWhen refers to the item itself", link_id=item.link_id)
        if condition.operator is EnableOperator.EXISTS and not isinstance(condition.answer, bool):
            raise InstrumentError("enableWhen 'exists' needs true or false", link_id=item.link_id)


def _check_expressions(instrument: Instrument) -> None:
    visible: set[str] = set()
    for variable in instrument.variables:
        check_expression(variable.expression, link_id=None, visible=visible)
        visible.add(variable.name)
    for item in instrument.items:
        _check_item_expressions(item, set(visible))


def _check_item_expressions(item: Item, visible: set[str]) -> None:
    for variable in item.variables:
        try:
            check_expression(variable.expression, link_id=None, visible=visible)
        except InstrumentError as error:
            raise InstrumentError(
                f"variable %{variable.name}: {error}", link_id=item.link_id
            ) from None
        visible.add(variable.name)
    if item.calculated_expression is not None:
        check_expression(item.calculated_expression, link_id=item.link_id, visible=visible)
        if item.calculated_name:
            visible.add(item.calculated_name)
    if item.enable_when_expression is not None:
        try:
            check_expression(item.enable_when_expression, link_id=None, visible=visible)
        except InstrumentError as error:
            raise InstrumentError(f"enableWhenExpression: {error}", link_id=item.link_id) from None
    for child in item.items:
        _check_item_expressions(child, set(visible))


def _check_scoring(scoring: ScoringSpec, by_link_id: dict[str, Item]) -> None:
    if not scoring.items and scoring.total_item is None:
        raise InstrumentError("scoring lists no items")
    for link_id in scoring.items:
        item = by_link_id.get(link_id)
        if item is None:
            raise InstrumentError(f"scoring refers to unknown item {link_id!r}")
        if item.value_range() is None:
            raise InstrumentError(
                "a scored item needs weighted options or a numeric range", link_id=link_id
            )
        if item.repeats:
            raise InstrumentError("a repeating item cannot be scored", link_id=link_id)
    for link_id in scoring.reverse_items:
        if link_id not in scoring.items:
            raise InstrumentError("a reverse-scored item must be a scored item", link_id=link_id)
    if scoring.total_item is not None:
        total_item = by_link_id.get(scoring.total_item)
        if total_item is None or not total_item.is_calculated:
            raise InstrumentError(
                f"the total item {scoring.total_item!r} must be a calculated item"
            )
    if scoring.max_missing < 0 or (scoring.items and scoring.max_missing >= len(scoring.items)):
        raise InstrumentError(
            "max_missing must be at least 0 and fewer than the number of scored items"
        )
    names = Counter(subscale.name for subscale in scoring.subscales)
    for subscale in scoring.subscales:
        if names[subscale.name] > 1:
            raise InstrumentError(f"subscale {subscale.name!r} is defined twice")
        if not subscale.items:
            raise InstrumentError(f"subscale {subscale.name!r} lists no items")
        for link_id in subscale.items:
            if link_id not in scoring.items:
                raise InstrumentError(
                    f"subscale {subscale.name!r} uses an item that is not scored", link_id=link_id
                )
    ordered = sorted(scoring.bands, key=lambda band: band.minimum)
    for band in ordered:
        if band.minimum > band.maximum:
            raise InstrumentError(f"band {band.label.default!r} starts above its end")
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        if upper.minimum <= lower.maximum:
            raise InstrumentError(
                f"bands {lower.label.default!r} and {upper.label.default!r} overlap"
            )
    change = scoring.reliable_change
    if change is not None:
        if (change.standard_deviation is None) != (change.reliability is None):
            raise InstrumentError("reliable change needs both the SD and the reliability")
        if change.standard_deviation is not None and change.standard_deviation <= 0:
            raise InstrumentError("reliable change SD must be above 0")
        if change.reliability is not None and not 0 <= change.reliability < 1:
            raise InstrumentError("reliability must be between 0 and 1 (1 excluded)")
        if change.threshold is not None and change.threshold <= 0:
            raise InstrumentError("reliable change threshold must be above 0")
        if change.threshold_points() is None:
            raise InstrumentError("reliable change needs the SD and reliability, or a threshold")
    if scoring.recovery is not None and scoring.clinical_cutoff is None:
        raise InstrumentError("a recovery rule needs a clinical cut-off")
