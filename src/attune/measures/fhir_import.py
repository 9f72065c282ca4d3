"""Import a FHIR R4 Questionnaire (with the SDC extensions clinics use) as an ``Instrument``.

Real files differ: weights sit on ``answerOption`` extensions, on the option's ``valueCoding``,
or on concepts of a contained ValueSet; the total may be a FHIRPath ``calculatedExpression`` or
left to the reader. All of these are read. Anything that cannot be imported faithfully is an
``InstrumentError`` naming the item, and the whole import fails: a half-imported instrument
would score wrongly without anyone noticing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from attune.measures.errors import InstrumentError
from attune.measures.instrument import (
    CHOICE_TYPES,
    NUMERIC_TYPES,
    AnswerOption,
    AnswerValue,
    EnableOperator,
    EnableWhen,
    Instrument,
    Item,
    ItemType,
    LocalizedText,
    ScoringSpec,
    Variable,
    derive_scored_items,
    walk_items,
)
from attune.measures.known_instruments import apply_known_interpretation

WEIGHT_EXTENSIONS = (
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
)
TRANSLATION_EXTENSION = "http://hl7.org/fhir/StructureDefinition/translation"
CALCULATED_EXPRESSION_EXTENSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
)
VARIABLE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/variable"
MIN_VALUE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/maxValue"
FHIRPATH_LANGUAGE = "text/fhirpath"
LOINC = "http://loinc.org"

# R4 item types with no place in a client check-in.
_REFUSED_TYPES = {
    "attachment": "file uploads",
    "reference": "references to other records",
}
_ENABLE_WHEN_ANSWER_KEYS = (
    "answerBoolean",
    "answerDecimal",
    "answerInteger",
    "answerDate",
    "answerDateTime",
    "answerTime",
    "answerString",
    "answerCoding",
)


def load_questionnaire_json(text: str | bytes) -> Instrument:
    """Parse a FHIR Questionnaire in JSON and return the instrument."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise InstrumentError(f"not JSON ({error})") from None
    return import_questionnaire(data)


def import_questionnaire(data: Any) -> Instrument:
    """Build an instrument from a parsed FHIR R4 Questionnaire."""
    if not isinstance(data, Mapping):
        raise InstrumentError("a Questionnaire must be a JSON object")
    if data.get("resourceType") != "Questionnaire":
        raise InstrumentError(f"resourceType is {data.get('resourceType')!r}, not 'Questionnaire'")
    value_sets = {
        resource["id"]: resource
        for resource in _objects(data.get("contained"))
        if resource.get("resourceType") == "ValueSet" and isinstance(resource.get("id"), str)
    }
    items = tuple(_item(entry, value_sets) for entry in _list(data.get("item"), "the root"))
    if not items:
        raise InstrumentError("the Questionnaire has no items")
    name = _text(data.get("name"), "name") or _text(data.get("id"), "id") or "questionnaire"
    title = _text(data.get("title"), "title") or name
    version = data.get("version")
    instrument = Instrument(
        url=_text(data.get("url"), "url") or _fallback_url(data),
        version=None if version is None else _text(version, "version"),
        name=name,
        title=LocalizedText(default=title, translations=_translations(data.get("_title"))),
        language=_text(data.get("language"), "language") or "en",
        items=items,
        scoring=_derived_scoring(items),
        variables=_variables(data, link_id=None),
        description=_text(data.get("description"), "description"),
        copyright=_text(data.get("copyright"), "copyright"),
        source_questionnaire=data,
        warnings=tuple(_structure_warnings(data)),
    )
    return apply_known_interpretation(instrument)


def _fallback_url(data: Mapping[str, Any]) -> str:
    # A Questionnaire without a url still needs a stable identity across imports.
    for identifier in _objects(data.get("identifier")):
        value = identifier.get("value")
        if isinstance(value, str) and value:
            system = identifier.get("system")
            system = system if isinstance(system, str) and system else "urn:attune:identifier"
            return f"{system}/Questionnaire/{value}"
    resource_id = data.get("id")
    if isinstance(resource_id, str) and resource_id:
        return f"urn:attune:questionnaire:{resource_id}"
    raise InstrumentError("the Questionnaire has no url, identifier or id to identify it")


def _derived_scoring(items: tuple[Item, ...]) -> ScoringSpec | None:
    scored = derive_scored_items(items)
    calculated_totals = [
        item for item in walk_items(items) if item.is_calculated and item.type in NUMERIC_TYPES
    ]
    total_item = calculated_totals[0].link_id if len(calculated_totals) == 1 else None
    if not scored and total_item is None:
        return None
    return ScoringSpec(method="sum", items=scored, total_item=total_item)


def _item(data: Any, value_sets: Mapping[str, Mapping[str, Any]]) -> Item:
    if not isinstance(data, Mapping):
        raise InstrumentError("every item must be a JSON object")
    link_id = data.get("linkId")
    if not isinstance(link_id, str) or not link_id:
        raise InstrumentError(f"an item has no linkId (text: {str(data.get('text'))[:40]!r})")

    def fail(message: str) -> InstrumentError:
        return InstrumentError(message, link_id=link_id)

    raw_type = data.get("type")
    if isinstance(raw_type, str) and raw_type in _REFUSED_TYPES:
        raise fail(
            f"type {raw_type!r} is not supported: Attune does not collect "
            f"{_REFUSED_TYPES[raw_type]}"
        )
    try:
        item_type = ItemType(raw_type)
    except (ValueError, TypeError):
        raise fail(f"unknown item type {raw_type!r}") from None
    text_value = _text(data.get("text"), "text", link_id)
    text = None
    if text_value is not None:
        text = LocalizedText(default=text_value, translations=_translations(data.get("_text")))
    options: tuple[AnswerOption, ...] = ()
    if data.get("answerOption"):
        options = tuple(
            _answer_option(entry, link_id) for entry in _list(data["answerOption"], link_id)
        )
    elif data.get("answerValueSet"):
        reference = _text(data["answerValueSet"], "answerValueSet", link_id) or ""
        options = _value_set_options(reference, value_sets, link_id)
    if options and item_type not in CHOICE_TYPES:
        # R4 allows answerOption on integer/string items as a restricted list; scoring reads
        # them as choices, so the item is kept but only option answers are accepted.
        item_type = ItemType.CHOICE
    calculated = _expression_extension(data, CALCULATED_EXPRESSION_EXTENSION, link_id)
    behavior = data.get("enableBehavior", "all")
    if behavior not in ("all", "any"):
        raise fail(f"enableBehavior {behavior!r} is not 'all' or 'any'")
    return Item(
        link_id=link_id,
        type=item_type,
        text=text,
        options=options,
        enable_when=tuple(
            _enable_when(entry, link_id) for entry in _list(data.get("enableWhen"), link_id)
        ),
        enable_behavior=behavior,
        required=_flag(data, "required", link_id),
        repeats=_flag(data, "repeats", link_id),
        min_value=_bound(data, MIN_VALUE_EXTENSION, item_type),
        max_value=_bound(data, MAX_VALUE_EXTENSION, item_type),
        calculated_expression=None if calculated is None else calculated["expression"],
        variables=_variables(data, link_id=link_id),
        items=tuple(_item(child, value_sets) for child in _list(data.get("item"), link_id)),
        codes=tuple(
            (coding["system"] if isinstance(coding.get("system"), str) else None, code)
            for coding in _objects(data.get("code"))
            if (code := _code(coding.get("code"))) is not None
        ),
    )


def _answer_option(data: Any, link_id: str) -> AnswerOption:
    if not isinstance(data, Mapping):
        raise InstrumentError("an answerOption must be a JSON object", link_id=link_id)
    coding = data.get("valueCoding")
    if isinstance(coding, Mapping):
        code = _code(coding.get("code"))
        if code is None:
            raise InstrumentError("an answerOption coding has no code", link_id=link_id)
        weight = _weight(data, link_id)
        if weight is None:
            weight = _weight(coding, link_id)
        system = coding.get("system")
        return AnswerOption(
            code=code,
            display=LocalizedText(
                default=_text(coding.get("display"), "display", link_id) or code,
                translations=_translations(coding.get("_display")),
            ),
            weight=weight,
            system=system if isinstance(system, str) else None,
        )
    for key in ("valueInteger", "valueString", "valueDate", "valueTime"):
        code = _code(data.get(key))
        if code is not None:
            weight = _weight(data, link_id)
            if weight is None and key == "valueInteger" and _is_number(data[key]):
                weight = float(data[key])
            return AnswerOption(
                code=code,
                display=LocalizedText(
                    default=code, translations=_translations(data.get(f"_{key}"))
                ),
                weight=weight,
            )
    raise InstrumentError("an answerOption has no value Attune can read", link_id=link_id)


def _value_set_options(
    reference: str, value_sets: Mapping[str, Mapping[str, Any]], link_id: str
) -> tuple[AnswerOption, ...]:
    if not reference.startswith("#"):
        raise InstrumentError(
            f"answerValueSet {reference!r} is not contained in the file; "
            "Attune imports contained value sets ('#id') only",
            link_id=link_id,
        )
    value_set = value_sets.get(reference[1:])
    if value_set is None:
        raise InstrumentError(
            f"answerValueSet {reference!r} names no contained ValueSet", link_id=link_id
        )
    options: list[AnswerOption] = []
    expansion = _object(value_set.get("expansion")).get("contains")
    if expansion:
        for concept in _flatten_contains(expansion):
            options.append(_concept_option(concept, concept.get("system"), link_id))
    else:
        for include in _objects(_object(value_set.get("compose")).get("include")):
            concepts = _objects(include.get("concept"))
            if not concepts:
                raise InstrumentError(
                    f"ValueSet {reference!r} includes a whole code system or filter; "
                    "Attune needs the concepts listed",
                    link_id=link_id,
                )
            for concept in concepts:
                options.append(_concept_option(concept, include.get("system"), link_id))
    if not options:
        raise InstrumentError(f"ValueSet {reference!r} lists no concepts", link_id=link_id)
    return tuple(options)


def _flatten_contains(contains: Any) -> list[Mapping[str, Any]]:
    flat: list[Mapping[str, Any]] = []
    for entry in _objects(contains):
        if entry.get("code") is not None and entry.get("abstract") is not True:
            flat.append(entry)
        flat.extend(_flatten_contains(entry.get("contains")))
    return flat


def _concept_option(concept: Mapping[str, Any], system: Any, link_id: str) -> AnswerOption:
    code = _code(concept.get("code"))
    if code is None:
        raise InstrumentError("a ValueSet concept has no code", link_id=link_id)
    translations = _translations(concept.get("_display"))
    for designation in _objects(concept.get("designation")):
        language, value = designation.get("language"), designation.get("value")
        if isinstance(language, str) and language and isinstance(value, str) and value:
            translations.setdefault(language, value)
    return AnswerOption(
        code=code,
        display=LocalizedText(
            default=_text(concept.get("display"), "display", link_id) or code,
            translations=translations,
        ),
        weight=_weight(concept, link_id),
        system=system if isinstance(system, str) else None,
    )


def _weight(element: Mapping[str, Any], link_id: str) -> float | None:
    for extension in _extensions(element):
        if extension.get("url") in WEIGHT_EXTENSIONS:
            for key in ("valueDecimal", "valueInteger"):
                if _is_number(extension.get(key)):
                    return float(extension[key])
            raise InstrumentError("a weight extension has no number", link_id=link_id)
    return None


def _translations(element: Any) -> dict[str, str]:
    translations: dict[str, str] = {}
    for extension in _extensions(element):
        if extension.get("url") != TRANSLATION_EXTENSION:
            continue
        parts: dict[str, Any] = {}
        for part in _extensions(extension):
            if isinstance(part.get("url"), str):
                parts[part["url"]] = part.get("valueCode") or part.get("valueString")
        language, content = parts.get("lang"), parts.get("content")
        if isinstance(language, str) and language and isinstance(content, str) and content:
            translations[language] = content
    return translations


def _enable_when(data: Any, link_id: str) -> EnableWhen:
    if not isinstance(data, Mapping) or not isinstance(data.get("question"), str):
        raise InstrumentError("an enableWhen has no question", link_id=link_id)
    try:
        operator = EnableOperator(data.get("operator"))
    except (ValueError, TypeError):
        raise InstrumentError(
            f"enableWhen operator {data.get('operator')!r} is unknown", link_id=link_id
        ) from None
    for key in _ENABLE_WHEN_ANSWER_KEYS:
        if key not in data:
            continue
        value = data[key]
        answer: AnswerValue | None
        if key == "answerCoding":
            answer = _code(_object(value).get("code"))
        elif key == "answerBoolean":
            answer = value if isinstance(value, bool) else None
        elif key in ("answerDecimal", "answerInteger"):
            answer = value if _is_number(value) else None
        else:
            answer = value if isinstance(value, str) else None
        if answer is None:
            raise InstrumentError(f"enableWhen {key} has no usable value", link_id=link_id)
        return EnableWhen(question=data["question"], operator=operator, answer=answer)
    if "answerQuantity" in data or "answerReference" in data:
        raise InstrumentError(
            "enableWhen on a quantity or reference is not supported", link_id=link_id
        )
    raise InstrumentError("an enableWhen has no answer", link_id=link_id)


def _expression_extension(
    data: Mapping[str, Any], url: str, link_id: str | None
) -> dict[str, str] | None:
    for extension in _extensions(data):
        if extension.get("url") == url:
            return _fhirpath_expression(extension, link_id)
    return None


def _fhirpath_expression(extension: Mapping[str, Any], link_id: str | None) -> dict[str, str]:
    expression = _object(extension.get("valueExpression"))
    if not isinstance(expression.get("expression"), str):
        raise InstrumentError("an expression extension has no expression", link_id=link_id)
    language = expression.get("language")
    if language != FHIRPATH_LANGUAGE:
        raise InstrumentError(
            f"expression language {language!r} is not supported (only text/fhirpath)",
            link_id=link_id,
        )
    name = expression.get("name")
    return {
        "expression": expression["expression"],
        "name": name if isinstance(name, str) else "",
    }


def _variables(data: Mapping[str, Any], *, link_id: str | None) -> tuple[Variable, ...]:
    variables: list[Variable] = []
    for extension in _extensions(data):
        if extension.get("url") == VARIABLE_EXTENSION:
            found = _fhirpath_expression(extension, link_id)
            if not found["name"]:
                raise InstrumentError("a variable has no name", link_id=link_id)
            variables.append(Variable(name=found["name"], expression=found["expression"]))
    return tuple(variables)


def _bound(data: Mapping[str, Any], url: str, item_type: ItemType) -> float | None:
    if item_type not in NUMERIC_TYPES:
        return None  # a date range, say: not a scoring bound
    for extension in _extensions(data):
        if extension.get("url") == url:
            for key in ("valueInteger", "valueDecimal"):
                if _is_number(extension.get(key)):
                    return float(extension[key])
    return None


def _list(value: Any, where: str | None) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InstrumentError(f"a list is expected under {where}")
    return value


def _object(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _objects(value: Any) -> list[Mapping[str, Any]]:
    # Lenient on purpose: a stray non-object in an extension list is noise, not a question.
    return (
        [entry for entry in value if isinstance(entry, Mapping)] if isinstance(value, list) else []
    )


def _extensions(element: Any) -> list[Mapping[str, Any]]:
    return _objects(element.get("extension")) if isinstance(element, Mapping) else []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _code(value: Any) -> str | None:
    """Return a code as text; numbers are accepted because real files write ``"code": 1``."""
    if isinstance(value, str) and value:
        return value
    if _is_number(value):
        return str(value)
    return None


def _text(value: Any, what: str, link_id: str | None = None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if _is_number(value):
        return str(value)
    raise InstrumentError(f"{what} must be text, not {type(value).__name__}", link_id=link_id)


def _flag(data: Mapping[str, Any], key: str, link_id: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise InstrumentError(f"{key} must be true or false", link_id=link_id)
    return value


def _structure_warnings(data: Mapping[str, Any], limit: int = 5) -> list[str]:
    """Return what strict R4 validation objects to, without refusing the file for it.

    Published files often break small rules (a variable named ``q1_value``, a number where a
    string belongs) yet score correctly, so these are reported, not fatal.
    """
    try:
        from fhir.resources.R4B.questionnaire import Questionnaire
        from pydantic import ValidationError
    except ImportError:  # pragma: no cover - fhir.resources is a dependency
        return []
    try:
        Questionnaire.model_validate(dict(data))
    except ValidationError as error:
        return [
            ".".join(str(part) for part in problem["loc"]) + ": " + problem["msg"]
            for problem in error.errors()[:limit]
        ]
    except Exception:  # a validator bug must not block an import
        return []
    return []
