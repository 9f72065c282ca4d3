"""Write an ``Instrument`` as a FHIR R4 Questionnaire (SDC), the inverse of ``fhir_import``.

Used to give Attune YAML instruments a ``%questionnaire`` for their FHIRPath, and to hand any
instrument to another system. Weights go out as ``itemWeight`` and translations as the
``translation`` extension, so importing the result gives back an equivalent instrument.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
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


# Responses and totals ------------------------------------------------------------------------

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
QUESTIONNAIRE_UNIT_EXTENSION = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SCORE_UNIT = {"unit": "{score}", "system": UCUM, "code": "{score}"}
BMI_CODE = "39156-5"
BMI_DISPLAY = "Body mass index (BMI) [Ratio]"
BMI_UNIT = {"unit": "kg/m2", "system": UCUM, "code": "kg/m2"}
_BMI_WORDING = re.compile(r"\bBMI\b|body[-\s]mass[-\s]index", re.IGNORECASE)


@dataclass(frozen=True)
class KnownTotal:
    """The LOINC code of a known instrument's total score (docs/instruments.md, "Export")."""

    label: str
    panel_codes: frozenset[str]
    total_code: str
    # None where the code was confirmed but its exact LOINC display was not.
    display: str | None
    bundled_name: str | None
    total_range: tuple[float, float]


KNOWN_TOTALS = (
    KnownTotal(
        "PHQ-9",
        frozenset({"44249-1"}),
        "44261-6",
        "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
        "phq9",
        (0.0, 27.0),
    ),
    KnownTotal(
        "GAD-7",
        frozenset({"69737-5"}),
        "70274-6",
        "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
        "gad7",
        (0.0, 21.0),
    ),
    KnownTotal(
        "PHQ-A",
        frozenset({"89206-7"}),
        "89204-2",
        "Patient Health Questionnaire-9: Modified for Teens total score [Reported.PHQ.Teen]",
        None,
        (0.0, 27.0),
    ),
    KnownTotal("EPDS", frozenset({"71354-5"}), "99046-5", None, None, (0.0, 30.0)),
)


@dataclass(frozen=True)
class TotalConcept:
    """What an Observation of an instrument's total says it is: code, text, unit, category."""

    text: str
    codings: tuple[dict[str, str], ...] = ()
    unit: Mapping[str, str] | None = None
    is_score: bool = True
    category: str = "survey"

    def codeable_concept(self) -> dict[str, Any]:
        concept: dict[str, Any] = {"text": self.text}
        if self.codings:
            concept["coding"] = [dict(coding) for coding in self.codings]
        return concept


def known_total(instrument: Instrument, stored_name: str | None = None) -> KnownTotal | None:
    """Return the known instrument ``instrument`` is, by Questionnaire code, name or shape."""
    from attune.measures.known_instruments import recognise
    from attune.measures.safety import known_safety_instrument, questionnaire_codes

    codes = questionnaire_codes(instrument.source_questionnaire)
    for known in KNOWN_TOTALS:
        if codes & (known.panel_codes | {known.total_code}):
            return known
    for known in KNOWN_TOTALS:
        if stored_name is not None and known.bundled_name == stored_name:
            return known
    by_title = known_safety_instrument(instrument)
    if by_title is not None:
        for known in KNOWN_TOTALS:
            if known.label == by_title.label and instrument.total_range() == known.total_range:
                return known
    name = recognise(instrument)
    if name is None:
        return None
    return next((known for known in KNOWN_TOTALS if known.bundled_name == name), None)


def total_concept(instrument: Instrument, stored_name: str | None = None) -> TotalConcept:
    """Return how an Observation of ``instrument``'s total is coded and in which unit.

    The file's own word wins: a code or a unit on the total item is used as given. Otherwise a
    known instrument's total gets its LOINC code in ``{score}``; a body-mass index gets LOINC
    39156-5 in kg/m2; anything else keeps its text only.
    """
    title = instrument.title.default
    scoring = instrument.scoring
    total_item = (
        instrument.item(scoring.total_item)
        if scoring is not None and scoring.total_item is not None
        else None
    )
    item_text = total_item.text.default if total_item is not None and total_item.text else ""
    item_codings = tuple(
        {"system": system, "code": code} if system else {"code": code}
        for system, code in (total_item.codes if total_item is not None else ())
    )
    file_unit = _unit_of(instrument, total_item.link_id) if total_item is not None else None
    is_bmi = any(coding["code"] == BMI_CODE for coding in item_codings) or bool(
        total_item is not None and not item_codings and _BMI_WORDING.search(item_text)
    )
    if is_bmi:
        codings = item_codings or ({"system": LOINC, "code": BMI_CODE, "display": BMI_DISPLAY},)
        return TotalConcept(
            text=item_text or f"{title}: body mass index",
            codings=codings,
            unit=file_unit or BMI_UNIT,
            is_score=False,
            category="vital-signs",
        )
    known = known_total(instrument, stored_name)
    if item_codings:
        is_score = file_unit is None or file_unit.get("code") == "{score}"
        return TotalConcept(
            text=item_text or f"{title}: total score",
            codings=item_codings,
            unit=file_unit or (SCORE_UNIT if is_score else None),
            is_score=is_score,
        )
    if known is not None:
        coding = {"system": LOINC, "code": known.total_code}
        if known.display:
            coding["display"] = known.display
        return TotalConcept(text=f"{title}: total score", codings=(coding,), unit=SCORE_UNIT)
    if file_unit is not None and file_unit.get("code") != "{score}":
        return TotalConcept(
            text=f"{title}: {item_text}" if item_text else title, unit=file_unit, is_score=False
        )
    return TotalConcept(text=f"{title}: total score", unit=SCORE_UNIT)


def _unit_of(instrument: Instrument, link_id: str) -> dict[str, str] | None:
    """Return the ``questionnaire-unit`` of item ``link_id`` in the file, as Quantity keys."""

    def find(items: Any) -> dict[str, str] | None:
        for entry in items or []:
            if not isinstance(entry, Mapping):
                continue
            if entry.get("linkId") == link_id:
                for extension in entry.get("extension") or []:
                    if not isinstance(extension, Mapping):
                        continue
                    coding = extension.get("valueCoding")
                    if extension.get("url") == QUESTIONNAIRE_UNIT_EXTENSION and isinstance(
                        coding, Mapping
                    ):
                        unit: dict[str, str] = {}
                        label = coding.get("display") or coding.get("code")
                        if isinstance(label, str):
                            unit["unit"] = label
                        if isinstance(coding.get("system"), str):
                            unit["system"] = coding["system"]
                        if isinstance(coding.get("code"), str):
                            unit["code"] = coding["code"]
                        return unit or None
                return None
            found = find(entry.get("item"))
            if found is not None:
                return found
        return None

    return find((instrument.source_questionnaire or {}).get("item"))


def total_observation(
    *,
    concept: TotalConcept,
    total: float | None,
    band: str | None,
    observation_id: str,
    subject: Mapping[str, Any],
    effective: str,
    derived_from: str,
    absent_because: str | None = None,
) -> dict[str, Any]:
    """Return an Observation of a response's total.

    With ``absent_because`` (the engine could not compute the total with certainty) the
    Observation carries a ``dataAbsentReason`` and no value: a receiving system never reads a
    number Attune does not stand behind.
    """
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": observation_id,
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": concept.category}]}],
        "code": concept.codeable_concept(),
        "subject": dict(subject),
        "effectiveDateTime": effective,
        "derivedFrom": [{"reference": derived_from}],
    }
    if absent_because is not None or total is None:
        observation["dataAbsentReason"] = {
            "coding": [{"system": DATA_ABSENT_REASON, "code": "error"}],
            "text": absent_because or "not computed",
        }
        return observation
    quantity: dict[str, Any] = {"value": total}
    if concept.unit:
        quantity.update(concept.unit)
    observation["valueQuantity"] = quantity
    if band and concept.is_score:
        observation["interpretation"] = [{"text": band}]
    return observation


def collection_bundle(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Return a FHIR collection Bundle of ``entries``; an empty one has no ``entry`` at all."""
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "collection"}
    if entries:
        bundle["entry"] = entries
    return bundle
