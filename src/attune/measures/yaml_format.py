"""Attune's own instrument format: a YAML file a clinician can read, documented in
docs/instruments.md.

The loader is strict: an unknown key, a missing text or a dangling reference is an
``InstrumentError`` naming the item, because a typo in a scoring file changes scores silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from attune.measures.errors import InstrumentError
from attune.measures.instrument import (
    AnswerOption,
    Band,
    EnableOperator,
    EnableWhen,
    Instrument,
    Item,
    ItemType,
    LocalizedText,
    RecoveryRule,
    ReliableChangeSpec,
    ScoringSpec,
    Subscale,
    Variable,
    derive_scored_items,
)
from attune.measures.safety import with_safety_items

FORMAT_KEY = "attune_instrument"
FORMAT_VERSION = 1

_TOP_KEYS = {
    FORMAT_KEY,
    "name",
    "url",
    "version",
    "title",
    "language",
    "validated",
    "description",
    "copyright",
    "option_sets",
    "variables",
    "items",
    "scoring",
}
_ITEM_KEYS = {
    "link_id",
    "type",
    "text",
    "options",
    "required",
    "repeats",
    "range",
    "safety",
    "enable_when",
    "enable_behavior",
    "calculated",
    "items",
    "codes",
}
_SCORING_KEYS = {
    "method",
    "items",
    "reverse",
    "max_missing",
    "subscales",
    "bands",
    "clinical_cutoff",
    "direction",
    "reliable_change",
    "recovery",
    "total_item",
}


def load_instrument_yaml_file(path: str | Path) -> Instrument:
    """Read an Attune YAML instrument file and return the instrument."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InstrumentError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InstrumentError(f"{path} is not UTF-8 text") from None
    return load_instrument_yaml(text)


def load_instrument_yaml(text: str) -> Instrument:
    """Parse Attune YAML text and return the instrument."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InstrumentError(f"not valid YAML{where}") from None
    # Safety items are found by code and wording here too, not only where the author marked them.
    return with_safety_items(instrument_from_mapping(data))


def instrument_from_mapping(data: Any) -> Instrument:
    """Build an instrument from already-parsed Attune YAML data."""
    if not isinstance(data, Mapping) or FORMAT_KEY not in data:
        raise InstrumentError(f"not an Attune instrument: the top level needs '{FORMAT_KEY}: 1'")
    if data[FORMAT_KEY] != FORMAT_VERSION:
        raise InstrumentError(f"unsupported {FORMAT_KEY} version {data[FORMAT_KEY]!r}")
    _reject_unknown_keys(data, _TOP_KEYS, "the instrument")
    language = _string(data.get("language", "en"), "language")
    name = _required_string(data, "name", "the instrument")
    option_sets = {
        _string(set_name, "option set name"): _options(options, language, f"option set {set_name}")
        for set_name, options in _mapping(data.get("option_sets", {}), "option_sets").items()
    }
    items = tuple(
        _item(entry, language, option_sets)
        for entry in _sequence(data.get("items"), "items", required=True)
    )
    scoring_data = data.get("scoring")
    scoring = (
        _scoring(_mapping(scoring_data, "scoring"), items, language)
        if scoring_data is not None
        else None
    )
    validated = data.get("validated")
    if validated is not None and not isinstance(validated, bool):
        raise InstrumentError("'validated' must be true or false")
    version = data.get("version")
    return Instrument(
        url=_required_string(data, "url", "the instrument"),
        version=None if version is None else str(version),
        name=name,
        title=_text(data.get("title", name), language, "title"),
        language=language,
        items=items,
        scoring=scoring,
        variables=_variables(data.get("variables", []), "the instrument"),
        validated=validated,
        description=_optional_string(data.get("description"), "description"),
        copyright=_optional_string(data.get("copyright"), "copyright"),
    )


def _item(data: Any, language: str, option_sets: Mapping[str, tuple[AnswerOption, ...]]) -> Item:
    if not isinstance(data, Mapping):
        raise InstrumentError("every entry under 'items' must be a mapping")
    link_id = data.get("link_id")
    if not isinstance(link_id, str) or not link_id.strip():
        raise InstrumentError("an item has no 'link_id'")

    def fail(message: str) -> InstrumentError:
        return InstrumentError(message, link_id=link_id)

    unknown = set(data) - _ITEM_KEYS
    if unknown:
        raise fail("unknown key " + ", ".join(repr(key) for key in sorted(unknown)))
    try:
        item_type = ItemType(data.get("type", ""))
    except ValueError:
        raise fail(f"unknown type {data.get('type')!r}") from None
    text = (
        _text(data["text"], language, "text", link_id=link_id)
        if data.get("text") is not None
        else None
    )
    if text is None and item_type is not ItemType.GROUP:
        raise fail("needs a 'text'")
    options_data = data.get("options")
    if isinstance(options_data, str):
        if options_data not in option_sets:
            raise fail(f"unknown option set {options_data!r}")
        options = option_sets[options_data]
    elif options_data is None:
        options = ()
    else:
        options = _options(options_data, language, "options", link_id=link_id)
    minimum = maximum = None
    if data.get("range") is not None:
        value_range = data["range"]
        if not isinstance(value_range, Mapping) or set(value_range) - {"min", "max"}:
            raise fail("'range' must be a mapping with 'min' and 'max'")
        minimum = _number(value_range.get("min"), "range min", link_id)
        maximum = _number(value_range.get("max"), "range max", link_id)
    enable_behavior = data.get("enable_behavior", "all")
    if enable_behavior not in ("all", "any"):
        raise fail("'enable_behavior' must be 'all' or 'any'")
    calculated_expression = None
    variables: tuple[Variable, ...] = ()
    if data.get("calculated") is not None:
        calculated = data["calculated"]
        if not isinstance(calculated, Mapping) or set(calculated) - {"expression", "variables"}:
            raise fail("'calculated' must be a mapping with 'expression' and 'variables'")
        calculated_expression = calculated.get("expression")
        if not isinstance(calculated_expression, str):
            raise fail("'calculated' needs an 'expression'")
        variables = _variables(calculated.get("variables", []), f"item {link_id!r}")
    return Item(
        link_id=link_id,
        type=item_type,
        text=text,
        options=options,
        enable_when=tuple(
            _enable_when(entry, link_id) for entry in _sequence(data.get("enable_when"), link_id)
        ),
        enable_behavior=enable_behavior,
        required=_flag(data, "required", link_id),
        repeats=_flag(data, "repeats", link_id),
        min_value=minimum,
        max_value=maximum,
        safety=_flag(data, "safety", link_id),
        calculated_expression=calculated_expression,
        variables=variables,
        items=tuple(
            _item(child, language, option_sets)
            for child in _sequence(data.get("items"), f"items of {link_id!r}")
        ),
        codes=tuple(_codes(data.get("codes"), link_id)),
    )


def _options(
    data: Any, language: str, where: str, *, link_id: str | None = None
) -> tuple[AnswerOption, ...]:
    options: list[AnswerOption] = []
    for entry in _sequence(data, where, required=True):
        if not isinstance(entry, Mapping) or "code" not in entry or "display" not in entry:
            raise InstrumentError(f"each of {where} needs 'code' and 'display'", link_id=link_id)
        if set(entry) - {"code", "display", "weight", "system"}:
            raise InstrumentError(
                f"an option in {where} has an unknown key (allowed: code, display, weight, system)",
                link_id=link_id,
            )
        weight = entry.get("weight")
        options.append(
            AnswerOption(
                code=str(entry["code"]),
                display=_text(entry["display"], language, f"display of {entry['code']!r}", link_id),
                weight=None if weight is None else _number(weight, "weight", link_id),
                system=_optional_string(entry.get("system"), "system"),
            )
        )
    return tuple(options)


def _enable_when(data: Any, link_id: str) -> EnableWhen:
    if not isinstance(data, Mapping) or set(data) != {"question", "operator", "answer"}:
        raise InstrumentError(
            "each 'enable_when' needs exactly 'question', 'operator' and 'answer'",
            link_id=link_id,
        )
    try:
        operator = EnableOperator(data["operator"])
    except ValueError:
        raise InstrumentError(
            f"unknown enable_when operator {data['operator']!r}", link_id=link_id
        ) from None
    answer = data["answer"]
    if not isinstance(answer, str | int | float | bool):
        raise InstrumentError("an enable_when answer must be a single value", link_id=link_id)
    return EnableWhen(question=str(data["question"]), operator=operator, answer=answer)


def _scoring(data: Mapping[str, Any], items: tuple[Item, ...], language: str) -> ScoringSpec:
    _reject_unknown_keys(data, _SCORING_KEYS, "scoring")
    method = data.get("method", "sum")
    if method not in ("sum", "mean"):
        raise InstrumentError("scoring 'method' must be 'sum' or 'mean'")
    direction = data.get("direction", "lower_is_better")
    if direction not in ("lower_is_better", "higher_is_better"):
        raise InstrumentError("scoring 'direction' must be 'lower_is_better' or 'higher_is_better'")
    scored = (
        tuple(str(link_id) for link_id in _sequence(data["items"], "scoring items"))
        if "items" in data
        else derive_scored_items(items)
    )
    max_missing = data.get("max_missing", 0)
    if not isinstance(max_missing, int) or isinstance(max_missing, bool):
        raise InstrumentError("scoring 'max_missing' must be a whole number")
    cutoff = data.get("clinical_cutoff")
    total_item = data.get("total_item")
    return ScoringSpec(
        method=method,
        items=scored,
        reverse_items=tuple(str(x) for x in _sequence(data.get("reverse"), "scoring reverse")),
        max_missing=max_missing,
        subscales=tuple(
            _subscale(entry, language) for entry in _sequence(data.get("subscales"), "subscales")
        ),
        bands=tuple(_band(entry, language) for entry in _sequence(data.get("bands"), "bands")),
        clinical_cutoff=None if cutoff is None else _number(cutoff, "clinical_cutoff"),
        direction=direction,
        reliable_change=_reliable_change(data.get("reliable_change")),
        recovery=_recovery(data.get("recovery")),
        total_item=None if total_item is None else str(total_item),
    )


def _subscale(data: Any, language: str) -> Subscale:
    if not isinstance(data, Mapping) or "name" not in data or "items" not in data:
        raise InstrumentError("each subscale needs 'name' and 'items'")
    _reject_unknown_keys(data, {"name", "title", "method", "items"}, f"subscale {data['name']!r}")
    method = data.get("method", "sum")
    if method not in ("sum", "mean"):
        raise InstrumentError(f"subscale {data['name']!r}: 'method' must be 'sum' or 'mean'")
    title = data.get("title")
    return Subscale(
        name=str(data["name"]),
        items=tuple(str(x) for x in _sequence(data["items"], f"subscale {data['name']!r}")),
        method=method,
        title=None if title is None else _text(title, language, f"subscale {data['name']!r}"),
    )


def _band(data: Any, language: str) -> Band:
    if not isinstance(data, Mapping) or set(data) != {"range", "label"}:
        raise InstrumentError("each band needs exactly 'range: [low, high]' and 'label'")
    value_range = data["range"]
    if not isinstance(value_range, Sequence) or len(value_range) != 2:
        raise InstrumentError("a band 'range' must be [low, high]")
    return Band(
        minimum=_number(value_range[0], "band range"),
        maximum=_number(value_range[1], "band range"),
        label=_text(data["label"], language, "band label"),
    )


def _reliable_change(data: Any) -> ReliableChangeSpec | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise InstrumentError("'reliable_change' must be a mapping")
    _reject_unknown_keys(data, {"sd", "reliability", "threshold"}, "reliable_change")
    return ReliableChangeSpec(
        standard_deviation=None if data.get("sd") is None else _number(data["sd"], "sd"),
        reliability=(
            None if data.get("reliability") is None else _number(data["reliability"], "reliability")
        ),
        threshold=(
            None if data.get("threshold") is None else _number(data["threshold"], "threshold")
        ),
    )


def _recovery(data: Any) -> RecoveryRule | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise InstrumentError("'recovery' must be a mapping")
    _reject_unknown_keys(data, {"requires_reliable_improvement"}, "recovery")
    required = data.get("requires_reliable_improvement", True)
    if not isinstance(required, bool):
        raise InstrumentError("'requires_reliable_improvement' must be true or false")
    return RecoveryRule(requires_reliable_improvement=required)


def _variables(data: Any, where: str) -> tuple[Variable, ...]:
    variables: list[Variable] = []
    for entry in _sequence(data, f"variables of {where}"):
        if not isinstance(entry, Mapping) or set(entry) != {"name", "expression"}:
            raise InstrumentError(f"each variable of {where} needs 'name' and 'expression'")
        variables.append(Variable(name=str(entry["name"]), expression=str(entry["expression"])))
    return tuple(variables)


def _codes(data: Any, link_id: str) -> list[tuple[str | None, str]]:
    codes: list[tuple[str | None, str]] = []
    for entry in _sequence(data, f"codes of {link_id!r}"):
        if not isinstance(entry, Mapping) or "code" not in entry:
            raise InstrumentError(
                "each code needs 'code' (and optionally 'system')", link_id=link_id
            )
        system = entry.get("system")
        codes.append((None if system is None else str(system), str(entry["code"])))
    return codes


def _text(data: Any, language: str, what: str, link_id: str | None = None) -> LocalizedText:
    if isinstance(data, str):
        return LocalizedText(default=data)
    if isinstance(data, Mapping) and data:
        texts = {str(tag): value for tag, value in data.items()}
        if not all(isinstance(value, str) for value in texts.values()):
            raise InstrumentError(f"every translation of {what} must be text", link_id=link_id)
        if language not in texts:
            raise InstrumentError(
                f"{what} has no text in the instrument's language {language!r}", link_id=link_id
            )
        default = texts.pop(language)
        return LocalizedText(default=default, translations=texts)
    raise InstrumentError(f"{what} must be text or a mapping of language to text", link_id=link_id)


def _number(value: Any, what: str, link_id: str | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InstrumentError(f"{what} must be a number, not {value!r}", link_id=link_id)
    return float(value)


def _flag(data: Mapping[str, Any], key: str, link_id: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise InstrumentError(f"'{key}' must be true or false", link_id=link_id)
    return value


def _string(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise InstrumentError(f"{what} must be text")
    return value


def _optional_string(value: Any, what: str) -> str | None:
    return None if value is None else _string(value, what)


def _required_string(data: Mapping[str, Any], key: str, where: str) -> str:
    if key not in data:
        raise InstrumentError(f"{where} needs '{key}'")
    return _string(data[key], key)


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InstrumentError(f"'{what}' must be a mapping")
    return value


def _sequence(value: Any, what: str, *, required: bool = False) -> Sequence[Any]:
    if value is None:
        if required:
            raise InstrumentError(f"{what} must be a non-empty list")
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InstrumentError(f"{what} must be a list")
    if required and not value:
        raise InstrumentError(f"{what} must be a non-empty list")
    return value


def _reject_unknown_keys(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise InstrumentError(
            f"{where} has unknown key "
            + ", ".join(repr(str(key)) for key in sorted(map(str, unknown)))
        )
