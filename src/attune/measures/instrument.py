"""The internal model of an instrument: items, answer options, and how answers become a score.

Every loader (Attune YAML, FHIR Questionnaire) builds these objects, and building an
``Instrument`` checks it whole, so an instrument that exists is one the scoring engine can use.
Nothing here imports Django.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

# An answer as the scoring engine sees it: the option code for choice items, else the value.
AnswerValue = str | int | float | bool
Answers = Mapping[str, AnswerValue | list[AnswerValue] | tuple[AnswerValue, ...]]


class ItemType(StrEnum):
    """The FHIR R4 item types Attune can show and collect."""

    GROUP = "group"
    DISPLAY = "display"
    CHOICE = "choice"
    OPEN_CHOICE = "open-choice"
    BOOLEAN = "boolean"
    INTEGER = "integer"
    DECIMAL = "decimal"
    STRING = "string"
    TEXT = "text"
    DATE = "date"
    DATE_TIME = "dateTime"
    TIME = "time"
    URL = "url"
    QUANTITY = "quantity"


ANSWERABLE_TYPES = frozenset(ItemType) - {ItemType.GROUP, ItemType.DISPLAY}
NUMERIC_TYPES = frozenset({ItemType.INTEGER, ItemType.DECIMAL, ItemType.QUANTITY})
CHOICE_TYPES = frozenset({ItemType.CHOICE, ItemType.OPEN_CHOICE})


class EnableOperator(StrEnum):
    """Comparisons allowed in an ``enableWhen`` condition."""

    EXISTS = "exists"
    EQUALS = "="
    NOT_EQUALS = "!="
    GREATER = ">"
    LESS = "<"
    GREATER_OR_EQUAL = ">="
    LESS_OR_EQUAL = "<="


@dataclass(frozen=True, eq=True)
class LocalizedText:
    """A text in the instrument's own language plus translations keyed by language tag."""

    default: str
    translations: Mapping[str, str] = field(default_factory=dict)

    def in_language(self, language: str | None) -> str:
        """Return the text in ``language``, falling back to its base language, then the default.

        ``es-MX`` falls back to ``es`` so a clinic need not repeat a translation per region.
        """
        if not language:
            return self.default
        if language in self.translations:
            return self.translations[language]
        base = language.split("-", 1)[0]
        if base in self.translations:
            return self.translations[base]
        return self.default

    def languages(self) -> frozenset[str]:
        """Return the language tags this text has translations for."""
        return frozenset(self.translations)


@dataclass(frozen=True)
class AnswerOption:
    """One answer a choice item offers; ``weight`` is what it adds to a score, if anything."""

    code: str
    display: LocalizedText
    weight: float | None = None
    system: str | None = None
    # The option's coding as an SDC renderer puts it in a response (JSON text: system, code,
    # display and its extensions, the weight among them), or None to build a bare one.
    coding_json: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class EnableWhen:
    """Show an item only when another item's answer meets a condition."""

    question: str
    operator: EnableOperator
    answer: AnswerValue


@dataclass(frozen=True)
class Variable:
    """A named FHIRPath expression, visible to the item that declares it and its children."""

    name: str
    expression: str


@dataclass(frozen=True)
class Item:
    """One question, display text or group of an instrument."""

    link_id: str
    type: ItemType
    text: LocalizedText | None = None
    options: tuple[AnswerOption, ...] = ()
    enable_when: tuple[EnableWhen, ...] = ()
    enable_behavior: Literal["all", "any"] = "all"
    required: bool = False
    repeats: bool = False
    min_value: float | None = None
    max_value: float | None = None
    safety: bool = False
    calculated_expression: str | None = None
    # A named calculatedExpression: its result is a variable of the item's descendants (SDC).
    calculated_name: str | None = None
    variables: tuple[Variable, ...] = ()
    items: tuple[Item, ...] = ()
    codes: tuple[tuple[str | None, str], ...] = ()
    # SDC enableWhenExpression: a FHIRPath boolean deciding, with enableWhen, if it is shown.
    enable_when_expression: str | None = None

    def option(self, code: str) -> AnswerOption | None:
        """Return the option whose code is ``code``, or None."""
        for option in self.options:
            if option.code == code:
                return option
        return None

    @property
    def is_calculated(self) -> bool:
        """Return whether the instrument computes this item's answer instead of asking for it."""
        return self.calculated_expression is not None

    @property
    def has_weights(self) -> bool:
        """Return whether every option of this choice item carries a weight."""
        return bool(self.options) and all(option.weight is not None for option in self.options)

    def value_range(self) -> tuple[float, float] | None:
        """Return the lowest and highest value this item can add to a score, if bounded."""
        if self.type in CHOICE_TYPES:
            weights = [option.weight for option in self.options if option.weight is not None]
            if not weights:
                return None
            return (min(weights), max(weights))
        if self.type is ItemType.BOOLEAN:
            return (0.0, 1.0)
        if self.type in NUMERIC_TYPES and self.min_value is not None and self.max_value is not None:
            return (self.min_value, self.max_value)
        return None


@dataclass(frozen=True)
class Band:
    """A labelled range of totals, both ends included (``0–4 minimal``)."""

    minimum: float
    maximum: float
    label: LocalizedText

    def contains(self, total: float) -> bool:
        """Return whether ``total`` falls in this band."""
        return self.minimum <= total <= self.maximum


@dataclass(frozen=True)
class Subscale:
    """A named part score over some of the items."""

    name: str
    items: tuple[str, ...]
    method: Literal["sum", "mean"] = "sum"
    title: LocalizedText | None = None


@dataclass(frozen=True)
class ReliableChangeSpec:
    """What a reliable change is for this instrument.

    Either the normative standard deviation and test–retest reliability, from which the
    Jacobson–Truax threshold follows, or a fixed threshold in points.
    """

    standard_deviation: float | None = None
    reliability: float | None = None
    threshold: float | None = None

    def threshold_points(self) -> float | None:
        """Return the smallest change in total that counts as reliable, or None if unknown."""
        if self.standard_deviation is not None and self.reliability is not None:
            standard_error_of_difference = self.standard_deviation * math.sqrt(
                2 * (1 - self.reliability)
            )
            return 1.96 * standard_error_of_difference
        return self.threshold


@dataclass(frozen=True)
class RecoveryRule:
    """Recovery: from the clinical range to the non-clinical range, with reliable improvement."""

    requires_reliable_improvement: bool = True


@dataclass(frozen=True)
class ScoringSpec:
    """How answers become a total, part scores and an interpretation."""

    method: Literal["sum", "mean"] = "sum"
    items: tuple[str, ...] = ()
    reverse_items: tuple[str, ...] = ()
    max_missing: int = 0
    subscales: tuple[Subscale, ...] = ()
    bands: tuple[Band, ...] = ()
    clinical_cutoff: float | None = None
    direction: Literal["lower_is_better", "higher_is_better"] = "lower_is_better"
    reliable_change: ReliableChangeSpec | None = None
    recovery: RecoveryRule | None = None
    total_item: str | None = None

    def band_for(self, total: float) -> Band | None:
        """Return the band ``total`` falls in, or None.

        Prorated totals can fall between two whole-number bands; the band with the highest
        lower bound not above the total is chosen, so 4.5 on 0–4/5–9 stays in 0–4.
        """
        for band in self.bands:
            if band.contains(total):
                return band
        candidates = [band for band in self.bands if band.minimum <= total]
        if candidates and total <= max(band.maximum for band in self.bands):
            return max(candidates, key=lambda band: band.minimum)
        return None

    def in_clinical_range(self, total: float) -> bool | None:
        """Return whether ``total`` is at or past the clinical cut-off, or None with no cut-off."""
        if self.clinical_cutoff is None:
            return None
        if self.direction == "lower_is_better":
            return total >= self.clinical_cutoff
        return total < self.clinical_cutoff


@dataclass(frozen=True)
class Instrument:
    """A questionnaire Attune can show, collect and score, identified by ``url|version``."""

    url: str
    version: str | None
    name: str
    title: LocalizedText
    items: tuple[Item, ...]
    language: str = "en"
    scoring: ScoringSpec | None = None
    variables: tuple[Variable, ...] = ()
    validated: bool | None = None
    description: str | None = None
    copyright: str | None = None
    source_questionnaire: Mapping[str, object] | None = field(default=None, compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # What a person must look at before the instrument is sent (``review.review_findings``):
    # a calculated total that disagrees with the weights, an unweighted item in a weighted
    # instrument.  Empty when the file's arithmetic and Attune's agree on every test response.
    review_findings: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        # Imported here because the checks module needs this one's classes.
        from attune.measures.checks import check_instrument

        check_instrument(self)

    @property
    def key(self) -> str:
        """Return the canonical identity, ``url|version`` (just ``url`` without a version)."""
        return f"{self.url}|{self.version}" if self.version else self.url

    def all_items(self) -> Iterator[Item]:
        """Yield every item, groups before their children, in document order."""
        yield from walk_items(self.items)

    def item(self, link_id: str) -> Item | None:
        """Return the item with ``link_id``, or None."""
        return self.items_by_link_id().get(link_id)

    def items_by_link_id(self) -> dict[str, Item]:
        """Return every item keyed by its linkId."""
        return {item.link_id: item for item in self.all_items()}

    def scored_items(self) -> tuple[Item, ...]:
        """Return the items that count toward the total."""
        if self.scoring is None:
            return ()
        by_link_id = self.items_by_link_id()
        return tuple(by_link_id[link_id] for link_id in self.scoring.items)

    def languages(self) -> tuple[str, ...]:
        """Return the instrument's language first, then every language it has translations in."""
        found: set[str] = set(self.title.languages())
        for item in self.all_items():
            if item.text is not None:
                found |= item.text.languages()
            for option in item.options:
                found |= option.display.languages()
        found.discard(self.language)
        return (self.language, *sorted(found))

    def total_range(self) -> tuple[float, float] | None:
        """Return the lowest and highest possible total, or None when it is not scored."""
        if self.scoring is None or not self.scoring.items:
            return None
        ranges = [item.value_range() for item in self.scored_items()]
        lows = [value_range[0] for value_range in ranges if value_range is not None]
        highs = [value_range[1] for value_range in ranges if value_range is not None]
        if self.scoring.method == "sum":
            return (sum(lows), sum(highs))
        return (min(lows), max(highs))


def walk_items(items: tuple[Item, ...]) -> Iterator[Item]:
    """Yield ``items`` and all their descendants, each group before its children."""
    for item in items:
        yield item
        yield from walk_items(item.items)


def derive_scored_items(items: tuple[Item, ...]) -> tuple[str, ...]:
    """Return the linkIds a plain total would add up: weighted choices and bounded numbers.

    Calculated items are left out: they are the file's own arithmetic over the others.
    """
    scored: list[str] = []
    for item in walk_items(items):
        if item.is_calculated or item.repeats:
            continue
        if item.type in CHOICE_TYPES and item.has_weights:
            scored.append(item.link_id)
        elif item.type in NUMERIC_TYPES and item.value_range() is not None:
            scored.append(item.link_id)
    return tuple(scored)
