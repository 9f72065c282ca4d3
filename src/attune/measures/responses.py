"""Answers in and out: check a set of answers against an instrument, read a FHIR
QuestionnaireResponse into answers, and build one back from answers.

Answers are keyed by linkId. A choice item's answer is its option code; numbers, booleans and
texts are plain values; a repeating item's answer is a list. Every problem is a
``ResponseError`` with a one-line message naming the item.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from attune.measures.errors import ResponseError
from attune.measures.fhir_import import check_nesting, parse_json
from attune.measures.instrument import (
    ANSWERABLE_TYPES,
    CHOICE_TYPES,
    AnswerValue,
    Instrument,
    Item,
    ItemType,
)

NormalisedAnswers = dict[str, tuple[AnswerValue, ...]]
# QuestionnaireResponse.status in FHIR R4; "entered-in-error" is a response withdrawn.
R4_STATUSES = frozenset({"in-progress", "completed", "amended", "stopped"})

ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
_TEXT_VALUE_KEYS = {
    ItemType.STRING: "valueString",
    ItemType.TEXT: "valueString",
    ItemType.DATE: "valueDate",
    ItemType.DATE_TIME: "valueDateTime",
    ItemType.TIME: "valueTime",
    ItemType.URL: "valueUri",
}


def normalise_answers(instrument: Instrument, answers: Any) -> NormalisedAnswers:
    """Return ``answers`` checked against ``instrument``, each as a tuple of values.

    Empty answers (None, "", []) count as unanswered. Calculated items are skipped: their
    values are computed, never taken from the client.
    """
    if not isinstance(answers, Mapping):
        raise ResponseError("answers must be a mapping of linkId to answer")
    by_link_id = instrument.items_by_link_id()
    checked: NormalisedAnswers = {}
    for link_id, raw in answers.items():
        if not isinstance(link_id, str):
            raise ResponseError(f"answer key {link_id!r} is not a linkId")
        item = by_link_id.get(link_id)
        if item is None:
            raise ResponseError("no such item in this instrument", link_id=link_id)
        if item.type not in ANSWERABLE_TYPES:
            raise ResponseError(f"a {item.type.value} item takes no answer", link_id=link_id)
        if item.is_calculated:
            continue
        values = tuple(raw) if isinstance(raw, list | tuple) else (raw,)
        values = tuple(value for value in values if value is not None and value != "")
        if not values:
            continue
        if len(values) > 1 and not item.repeats:
            raise ResponseError("more than one answer to a single-answer item", link_id=link_id)
        checked[link_id] = tuple(check_value(item, value) for value in values)
    return checked


def check_value(item: Item, value: Any) -> AnswerValue:
    """Return ``value`` as the item's answer type, or raise ``ResponseError``."""
    link_id = item.link_id
    if item.type in CHOICE_TYPES:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ResponseError(f"answer {value!r} is not an option code", link_id=link_id)
        code = str(value)
        if item.option(code) is None and item.type is ItemType.CHOICE:
            raise ResponseError(f"answer code {code!r} is not one of the options", link_id=link_id)
        return code
    if item.type is ItemType.BOOLEAN:
        if not isinstance(value, bool):
            raise ResponseError(f"answer {value!r} is not true or false", link_id=link_id)
        return value
    if item.type in (ItemType.INTEGER, ItemType.DECIMAL, ItemType.QUANTITY):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ResponseError(f"answer {value!r} is not a number", link_id=link_id)
        if not math.isfinite(value):
            raise ResponseError(f"answer {value!r} is not a finite number", link_id=link_id)
        if item.type is ItemType.INTEGER and not float(value).is_integer():
            raise ResponseError(f"answer {value!r} is not a whole number", link_id=link_id)
        if item.min_value is not None and value < item.min_value:
            raise ResponseError(
                f"answer {value!r} is below the minimum {_number_text(item.min_value)}",
                link_id=link_id,
            )
        if item.max_value is not None and value > item.max_value:
            raise ResponseError(
                f"answer {value!r} is above the maximum {_number_text(item.max_value)}",
                link_id=link_id,
            )
        return int(value) if item.type is ItemType.INTEGER else value
    if not isinstance(value, str):
        raise ResponseError(f"answer {value!r} is not text", link_id=link_id)
    return value


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def parse_questionnaire_response(source: Any, instrument: Instrument) -> NormalisedAnswers:
    """Read a FHIR QuestionnaireResponse (JSON text, bytes or parsed) into checked answers."""
    if isinstance(source, str | bytes | bytearray):
        source = parse_json(source, ResponseError)
    if not isinstance(source, Mapping):
        raise ResponseError("a QuestionnaireResponse must be a JSON object")
    check_nesting(source, ResponseError)
    if source.get("resourceType") != "QuestionnaireResponse":
        raise ResponseError(
            f"resourceType is {source.get('resourceType')!r}, not 'QuestionnaireResponse'"
        )
    status = source.get("status")
    if status == "entered-in-error":
        raise ResponseError("the response's status is 'entered-in-error': it was withdrawn")
    if not isinstance(status, str) or status not in R4_STATUSES:
        raise ResponseError(
            f"status {status!r} is not a QuestionnaireResponse status "
            "(in-progress, completed, amended, stopped)"
        )
    _check_structure(source)
    _check_questionnaire_reference(source, instrument)
    by_link_id = instrument.items_by_link_id()
    collected: dict[str, list[AnswerValue]] = {}
    seen: set[str] = set()
    _collect(source.get("item") or [], by_link_id, collected, seen)
    return normalise_answers(instrument, collected)


def _check_structure(source: Mapping[str, Any]) -> None:
    """Raise ``ResponseError`` on the first thing FHIR R4 structure rules reject."""
    try:
        from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
        from pydantic import ValidationError
    except ImportError:  # pragma: no cover - fhir.resources is a dependency
        return
    try:
        QuestionnaireResponse.model_validate(dict(source))
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "QuestionnaireResponse"
        raise ResponseError(
            f"not a valid QuestionnaireResponse at {where}: {problem['msg']}"
        ) from None
    except (TypeError, ValueError) as error:
        raise ResponseError(f"not a valid QuestionnaireResponse ({error})") from None


def _check_questionnaire_reference(source: Mapping[str, Any], instrument: Instrument) -> None:
    reference = source.get("questionnaire")
    if not isinstance(reference, str) or not reference:
        return
    url, _, version = reference.partition("|")
    if version and version != (instrument.version or "") and url == instrument.url:
        # Items and weights may differ between versions; scoring across them would mislead.
        raise ResponseError(
            f"the response answers version {version!r}, not {instrument.version or 'unversioned'!r}"
        )
    known = {instrument.url}
    source_id = (instrument.source_questionnaire or {}).get("id")
    if source_id:
        known |= {f"Questionnaire/{source_id}", f"#{source_id}", str(source_id)}
    if source_id and url.endswith(f"/Questionnaire/{source_id}"):
        return
    if url not in known:
        raise ResponseError(
            f"the response answers questionnaire {reference!r}, not {instrument.key!r}"
        )


def _collect(
    items: Any,
    by_link_id: Mapping[str, Item],
    collected: dict[str, list[AnswerValue]],
    seen: set[str],
) -> None:
    if not isinstance(items, list):
        raise ResponseError("'item' must be a list")
    for entry in items:
        if not isinstance(entry, Mapping):
            raise ResponseError("every response item must be a JSON object")
        link_id = entry.get("linkId")
        if not isinstance(link_id, str):
            raise ResponseError("a response item has no linkId")
        item = by_link_id.get(link_id)
        if item is None:
            raise ResponseError("no such item in this instrument", link_id=link_id)
        if link_id in seen:
            raise ResponseError(
                "answered more than once (repeating groups are not supported)", link_id=link_id
            )
        seen.add(link_id)
        for answer in entry.get("answer") or []:
            if not isinstance(answer, Mapping):
                raise ResponseError("an answer must be a JSON object", link_id=link_id)
            if item.type not in ANSWERABLE_TYPES:
                raise ResponseError(f"a {item.type.value} item takes no answer", link_id=link_id)
            # A form filler may send its own computed total; Attune recomputes it instead.
            if not item.is_calculated:
                collected.setdefault(link_id, []).append(_answer_value(item, answer))
            _collect(answer.get("item") or [], by_link_id, collected, seen)
        _collect(entry.get("item") or [], by_link_id, collected, seen)


def _answer_value(item: Item, answer: Mapping[str, Any]) -> AnswerValue:
    link_id = item.link_id
    values = {key: value for key, value in answer.items() if key.startswith("value")}
    if len(values) != 1:
        raise ResponseError("each answer needs exactly one value", link_id=link_id)
    key, value = next(iter(values.items()))
    if item.type in CHOICE_TYPES:
        if key == "valueCoding" and isinstance(value, Mapping):
            code = value.get("code")
            if code is None:
                raise ResponseError("an answer coding has no code", link_id=link_id)
            option = item.option(str(code))
            system = value.get("system")
            if option is not None and option.system and system and system != option.system:
                raise ResponseError(
                    f"answer code {code!r} is from {system!r}, not {option.system!r}",
                    link_id=link_id,
                )
            if option is None and item.type is ItemType.CHOICE:
                raise ResponseError(
                    f"answer code {str(code)!r} is not one of the options", link_id=link_id
                )
            return str(code)
        if key in ("valueString", "valueInteger", "valueDate", "valueTime"):
            option = item.option(str(value))
            if item.type is ItemType.CHOICE and (option is None or option.coding_json is not None):
                # A choice item without open text takes one of its options, never free text.
                raise ResponseError(
                    f"{key} {str(value)[:40]!r} does not answer a choice item "
                    "(one of its options is expected)",
                    link_id=link_id,
                )
            return str(value)
        raise ResponseError(f"{key} does not answer a choice item", link_id=link_id)
    expected = {
        ItemType.BOOLEAN: "valueBoolean",
        ItemType.INTEGER: "valueInteger",
        ItemType.DECIMAL: "valueDecimal",
        ItemType.QUANTITY: "valueQuantity",
        **_TEXT_VALUE_KEYS,
    }[item.type]
    if item.type is ItemType.DECIMAL and key == "valueInteger":
        key = "valueDecimal"
    if key != expected:
        raise ResponseError(
            f"{key} does not answer a {item.type.value} item (expected {expected})",
            link_id=link_id,
        )
    if item.type is ItemType.QUANTITY:
        value = value.get("value") if isinstance(value, Mapping) else None
    return value


def build_questionnaire_response(
    instrument: Instrument,
    answers: Mapping[str, Sequence[AnswerValue]],
    *,
    calculated: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return a FHIR R4 QuestionnaireResponse (as a dict) holding ``answers``.

    The nesting follows the instrument's groups, which is what FHIRPath expressions such as
    ``%resource.item.where(linkId = …)`` expect. ``calculated`` adds computed item values.
    """
    calculated = calculated or {}

    def build(items: Sequence[Item]) -> list[dict[str, Any]]:
        built: list[dict[str, Any]] = []
        for item in items:
            entry: dict[str, Any] = {"linkId": item.link_id}
            values: Sequence[Any] = answers.get(item.link_id, ())
            if item.link_id in calculated and calculated[item.link_id] is not None:
                found = calculated[item.link_id]
                values = found if isinstance(found, list) else [found]
            fhir_answers = [_fhir_answer(item, value) for value in values]
            fhir_answers = [answer for answer in fhir_answers if answer is not None]
            if fhir_answers:
                entry["answer"] = fhir_answers
            children = build(item.items)
            if children:
                entry["item"] = children
            if "answer" in entry or "item" in entry:
                built.append(entry)
        return built

    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": instrument.key,
    }
    items = build(instrument.items)
    if items:
        response["item"] = items
    return response


def _fhir_answer(item: Item, value: Any) -> dict[str, Any] | None:
    if item.type in CHOICE_TYPES:
        option = item.option(str(value))
        if option is None:
            return {"valueString": str(value)}
        if option.coding_json is not None:
            # The option's full coding, extensions included, as an SDC renderer writes it.
            return {"valueCoding": json.loads(option.coding_json)}
        coding: dict[str, Any] = {"code": option.code, "display": option.display.default}
        if option.system:
            coding["system"] = option.system
        if option.weight is not None:
            number = int(option.weight) if float(option.weight).is_integer() else option.weight
            coding["extension"] = [{"url": ITEM_WEIGHT, "valueDecimal": number}]
        return {"valueCoding": coding}
    if item.type is ItemType.BOOLEAN and isinstance(value, bool):
        return {"valueBoolean": value}
    if item.type is ItemType.INTEGER and isinstance(value, int | float):
        return {"valueInteger": int(value)}
    if item.type is ItemType.DECIMAL and isinstance(value, int | float):
        return {"valueDecimal": value}
    if item.type is ItemType.QUANTITY and isinstance(value, int | float):
        return {"valueQuantity": {"value": value}}
    if item.type in _TEXT_VALUE_KEYS:
        return {_TEXT_VALUE_KEYS[item.type]: str(value)}
    return None
