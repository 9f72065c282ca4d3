"""Write an ``Instrument`` as a FHIR R4 Questionnaire (SDC), the inverse of ``fhir_import``.

Used to give Attune YAML instruments a ``%questionnaire`` for their FHIRPath, and to hand any
instrument to another system. Weights go out as ``itemWeight`` and translations as the
``translation`` extension, so importing the result gives back an equivalent instrument.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attune.measures.fhir_import import (
    CALCULATED_EXPRESSION_EXTENSION,
    FHIRPATH_LANGUAGE,
    MAX_VALUE_EXTENSION,
    MIN_VALUE_EXTENSION,
    TRANSLATION_EXTENSION,
    VARIABLE_EXTENSION,
)
from attune.measures.instrument import (
    CHOICE_TYPES,
    AnswerOption,
    EnableOperator,
    EnableWhen,
    Instrument,
    Item,
    ItemType,
    LocalizedText,
    Variable,
)
from attune.measures.safety import SAFETY_ITEM_EXTENSION

ITEM_WEIGHT_EXTENSION = "http://hl7.org/fhir/StructureDefinition/itemWeight"
_ANSWER_KEYS = {
    ItemType.DATE: "answerDate",
    ItemType.DATE_TIME: "answerDateTime",
    ItemType.TIME: "answerTime",
}


def questionnaire_from_instrument(instrument: Instrument) -> dict[str, Any]:
    """Return ``instrument`` as a FHIR R4 Questionnaire resource (a JSON-ready dict)."""
    questionnaire: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "url": instrument.url,
        "name": instrument.name,
        "status": "active",
        "language": instrument.language,
        "title": instrument.title.default,
    }
    if instrument.version:
        questionnaire["version"] = instrument.version
    _add_translations(questionnaire, "title", instrument.title)
    if instrument.description:
        questionnaire["description"] = instrument.description
    if instrument.copyright:
        questionnaire["copyright"] = instrument.copyright
    if instrument.variables:
        questionnaire["extension"] = [_variable(variable) for variable in instrument.variables]
    types = {item.link_id: item.type for item in instrument.all_items()}
    questionnaire["item"] = [_item(item, types) for item in instrument.items]
    return questionnaire


def _item(item: Item, types: Mapping[str, ItemType]) -> dict[str, Any]:
    entry: dict[str, Any] = {"linkId": item.link_id, "type": item.type.value}
    if item.codes:
        entry["code"] = [
            {"system": system, "code": code} if system else {"code": code}
            for system, code in item.codes
        ]
    if item.text is not None:
        entry["text"] = item.text.default
        _add_translations(entry, "text", item.text)
    extensions = [_variable(variable) for variable in item.variables]
    if item.safety:
        extensions.append({"url": SAFETY_ITEM_EXTENSION, "valueBoolean": True})
    if item.calculated_expression is not None:
        extensions.append(
            {
                "url": CALCULATED_EXPRESSION_EXTENSION,
                "valueExpression": {
                    "language": FHIRPATH_LANGUAGE,
                    "expression": item.calculated_expression,
                },
            }
        )
    value_key = "valueInteger" if item.type is ItemType.INTEGER else "valueDecimal"
    bounds = ((MIN_VALUE_EXTENSION, item.min_value), (MAX_VALUE_EXTENSION, item.max_value))
    for url, bound in bounds:
        if bound is not None:
            extensions.append(
                {"url": url, value_key: int(bound) if value_key == "valueInteger" else bound}
            )
    if extensions:
        entry["extension"] = extensions
    if item.enable_when:
        entry["enableWhen"] = [
            _enable_when(condition, types[condition.question]) for condition in item.enable_when
        ]
        if len(item.enable_when) > 1:
            entry["enableBehavior"] = item.enable_behavior
    if item.required:
        entry["required"] = True
    if item.repeats:
        entry["repeats"] = True
    if item.options:
        entry["answerOption"] = [_option(option) for option in item.options]
    if item.items:
        entry["item"] = [_item(child, types) for child in item.items]
    return entry


def _option(option: AnswerOption) -> dict[str, Any]:
    coding: dict[str, Any] = {"code": option.code, "display": option.display.default}
    if option.system:
        coding["system"] = option.system
    _add_translations(coding, "display", option.display)
    entry: dict[str, Any] = {"valueCoding": coding}
    if option.weight is not None:
        weight = int(option.weight) if float(option.weight).is_integer() else option.weight
        entry["extension"] = [{"url": ITEM_WEIGHT_EXTENSION, "valueDecimal": weight}]
    return entry


def _enable_when(condition: EnableWhen, question_type: ItemType) -> dict[str, Any]:
    entry: dict[str, Any] = {"question": condition.question, "operator": condition.operator.value}
    answer = condition.answer
    if condition.operator is EnableOperator.EXISTS or question_type is ItemType.BOOLEAN:
        entry["answerBoolean"] = bool(answer)
    elif question_type in CHOICE_TYPES:
        # Attune keeps a choice condition as the option code; FHIR wants a Coding.
        entry["answerCoding"] = {"code": str(answer)}
    elif question_type is ItemType.INTEGER and isinstance(answer, int | float):
        entry["answerInteger"] = int(answer)
    elif question_type in (ItemType.DECIMAL, ItemType.QUANTITY) and isinstance(answer, int | float):
        entry["answerDecimal"] = answer
    else:
        key = _ANSWER_KEYS.get(question_type, "answerString")
        entry[key] = str(answer)
    return entry


def _variable(variable: Variable) -> dict[str, Any]:
    return {
        "url": VARIABLE_EXTENSION,
        "valueExpression": {
            "name": variable.name,
            "language": FHIRPATH_LANGUAGE,
            "expression": variable.expression,
        },
    }


def _add_translations(element: dict[str, Any], key: str, text: LocalizedText) -> None:
    if not text.translations:
        return
    element[f"_{key}"] = {
        "extension": [
            {
                "url": TRANSLATION_EXTENSION,
                "extension": [
                    {"url": "lang", "valueCode": language},
                    {"url": "content", "valueString": content},
                ],
            }
            for language, content in sorted(text.translations.items())
        ]
    }
