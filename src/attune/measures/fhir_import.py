"""Import a FHIR R4 Questionnaire (with the SDC extensions clinics use) as an ``Instrument``.

Real files differ: weights sit on ``answerOption`` extensions, on the option's ``valueCoding``,
or on concepts of a contained ValueSet; the total may be a FHIRPath ``calculatedExpression`` or
left to the reader. All of these are read. Anything that cannot be imported faithfully is an
``InstrumentError`` naming the item, and the whole import fails: a half-imported instrument
would score wrongly without anyone noticing.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from attune.measures.errors import InstrumentError
from attune.measures.fhirpath_sdc import WEIGHT_EXTENSIONS
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

TRANSLATION_EXTENSION = "http://hl7.org/fhir/StructureDefinition/translation"
CALCULATED_EXPRESSION_EXTENSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
)
INITIAL_EXPRESSION_EXTENSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression"
)
ENABLE_WHEN_EXPRESSION_EXTENSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)
VARIABLE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/variable"
MIN_VALUE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/maxValue"
FHIRPATH_LANGUAGE = "text/fhirpath"
LOINC = "http://loinc.org"
# Deeper than this is no questionnaire a person fills in; it is refused before any recursion.
MAX_NESTING = 100

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


def parse_json(
    text: str | bytes | bytearray, error_class: type[Exception] = InstrumentError
) -> Any:
    """Parse JSON text, refusing nesting deeper than ``MAX_NESTING`` with one line."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise error_class(f"the JSON is nested deeper than {MAX_NESTING} levels") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise error_class(f"not JSON ({error})") from None
    check_nesting(data, error_class)
    return data


def check_nesting(data: Any, error_class: type[Exception] = InstrumentError) -> None:
    """Raise ``error_class`` when ``data`` nests deeper than ``MAX_NESTING`` (no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise error_class(f"the JSON is nested deeper than {MAX_NESTING} levels")
        if isinstance(value, Mapping):
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)


def load_questionnaire_json(
    text: str | bytes, *, terminology: Mapping[str, Mapping[str, Any]] | None = None
) -> Instrument:
    """Parse a FHIR Questionnaire in JSON and return the instrument."""
    return import_questionnaire(parse_json(text), terminology=terminology)


def import_questionnaire(
    data: Any, *, terminology: Mapping[str, Mapping[str, Any]] | None = None
) -> Instrument:
    """Build an instrument from a parsed FHIR R4 Questionnaire.

    ``terminology`` maps a ValueSet's canonical url to the ValueSet, for ``answerValueSet``
    references that the file does not contain (the agency's loaded bundles); Attune's own
    LOINC answer lists are always consulted after it.
    """
    if not isinstance(data, Mapping):
        raise InstrumentError("a Questionnaire must be a JSON object")
    check_nesting(data)
    if data.get("resourceType") != "Questionnaire":
        raise InstrumentError(f"resourceType is {data.get('resourceType')!r}, not 'Questionnaire'")
    value_sets = _ValueSets(data, terminology)
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
    from attune.measures.review import review_findings, without_uncounted_items

    instrument = without_uncounted_items(instrument)
    instrument = apply_known_interpretation(instrument)
    return replace(instrument, review_findings=review_findings(instrument))


def _fallback_url(data: Mapping[str, Any]) -> str:
    """Return a stable identity for a Questionnaire without a url (R4 does not require one).

    A business identifier names it when there is one.  Otherwise the identity is a digest of
    the file's canonical JSON (keys sorted, no spaces, UTF-8), leaving out ``id`` and ``meta``,
    which a server rewrites: the same questionnaire gets the same identity wherever it is
    loaded, and any change to its content gives another one.
    """
    for identifier in _objects(data.get("identifier")):
        value = identifier.get("value")
        if isinstance(value, str) and value:
            system = identifier.get("system")
            system = system if isinstance(system, str) and system else "urn:attune:identifier"
            return f"{system}/Questionnaire/{value}"
    content = {key: value for key, value in data.items() if key not in ("id", "meta", "text")}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
    return f"urn:attune:questionnaire:sha256:{digest}"


def _derived_scoring(items: tuple[Item, ...]) -> ScoringSpec | None:
    scored = derive_scored_items(items)
    calculated_totals = [
        item for item in walk_items(items) if item.is_calculated and item.type in NUMERIC_TYPES
    ]
    total_item = calculated_totals[0].link_id if len(calculated_totals) == 1 else None
    if not scored and total_item is None:
        return None
    return ScoringSpec(method="sum", items=scored, total_item=total_item)


def _item(data: Any, value_sets: _ValueSets) -> Item:
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
        item_type = ItemType(raw_type or "")
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
        options = _value_set_options(reference, value_sets.find(reference, link_id), link_id)
    if options and item_type not in CHOICE_TYPES:
        # R4 allows answerOption on integer/string items as a restricted list; scoring reads
        # them as choices, so the item is kept but only option answers are accepted.
        item_type = ItemType.CHOICE
    calculated = _expression_extension(data, CALCULATED_EXPRESSION_EXTENSION, link_id)
    if calculated is None and item_type in NUMERIC_TYPES:
        calculated = _total_by_initial_expression(data, link_id)
    enable_expression = _expression_extension(data, ENABLE_WHEN_EXPRESSION_EXTENSION, link_id)
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
        calculated_name=(calculated or {}).get("name") or None,
        enable_when_expression=None
        if enable_expression is None
        else enable_expression["expression"],
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
        weight, weight_url = _weight(data, link_id)
        if weight is None:
            weight, weight_url = _weight(coding, link_id)
        system = coding.get("system")
        return AnswerOption(
            code=code,
            display=LocalizedText(
                default=_text(coding.get("display"), "display", link_id) or code,
                translations=_translations(coding.get("_display")),
            ),
            weight=weight,
            system=system if isinstance(system, str) else None,
            coding_json=_rendered_coding(coding, system, code, weight, weight_url),
        )
    for key in ("valueInteger", "valueString", "valueDate", "valueTime"):
        code = _code(data.get(key))
        if code is not None:
            weight, _ = _weight(data, link_id)
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


class _ValueSets:
    """Where an ``answerValueSet`` is found: contained (by ``#id`` or canonical url), then the
    agency's loaded terminology, then Attune's own LOINC answer lists."""

    def __init__(
        self, data: Mapping[str, Any], terminology: Mapping[str, Mapping[str, Any]] | None
    ) -> None:
        self.by_id: dict[str, Mapping[str, Any]] = {}
        self.by_url: dict[str, Mapping[str, Any]] = {}
        for resource in _objects(data.get("contained")):
            if resource.get("resourceType") != "ValueSet":
                continue
            if isinstance(resource.get("id"), str):
                self.by_id[resource["id"]] = resource
            if isinstance(resource.get("url"), str):
                self.by_url[resource["url"]] = resource
                if isinstance(resource.get("version"), str):
                    self.by_url[f"{resource['url']}|{resource['version']}"] = resource
        self.terminology = terminology or {}

    def find(self, reference: str, link_id: str) -> Mapping[str, Any]:
        if reference.startswith("#"):
            found = self.by_id.get(reference[1:])
            if found is None:
                raise InstrumentError(
                    f"answerValueSet {reference!r} names no contained ValueSet", link_id=link_id
                )
            return found
        url = reference.partition("|")[0]
        for table in (self.by_url, self.terminology):
            found = table.get(reference) or table.get(url)
            if found is not None:
                return found
        from attune.measures.terminology import shipped_value_set

        found = shipped_value_set(url)
        if found is not None:
            return found
        raise InstrumentError(
            f"answerValueSet {reference!r} is neither contained in the file nor in a loaded "
            "terminology bundle; load a FHIR Bundle holding that ValueSet first",
            link_id=link_id,
        )


def _value_set_options(
    reference: str, value_set: Mapping[str, Any], link_id: str
) -> tuple[AnswerOption, ...]:
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
    weight, weight_url = _weight(concept, link_id)
    display = _text(concept.get("display"), "display", link_id) or code
    return AnswerOption(
        code=code,
        display=LocalizedText(default=display, translations=translations),
        weight=weight,
        system=system if isinstance(system, str) else None,
        coding_json=_rendered_coding({"display": display}, system, code, weight, weight_url),
    )


def _weight(element: Mapping[str, Any], link_id: str) -> tuple[float | None, str | None]:
    """Return the weight an element's extensions give, and the extension's url."""
    for extension in _extensions(element):
        if extension.get("url") in WEIGHT_EXTENSIONS:
            for key in ("valueDecimal", "valueInteger"):
                if _is_number(extension.get(key)):
                    return float(extension[key]), extension["url"]
            raise InstrumentError("a weight extension has no number", link_id=link_id)
    return None, None


def _rendered_coding(
    coding: Mapping[str, Any],
    system: Any,
    code: str,
    weight: float | None,
    weight_url: str | None,
) -> str:
    """Return, as JSON text, the coding an SDC renderer writes into a response for an option.

    It is the option's coding with its extensions; a weight that sat on the answerOption or
    on the ValueSet concept is copied onto the coding under the same extension url, as
    renderers do, so ``answer.valueCoding.extension.where(url = …)`` finds it.
    """
    rendered: dict[str, Any] = {"code": code}
    if isinstance(system, str):
        rendered["system"] = system
    if isinstance(coding.get("display"), str):
        rendered["display"] = coding["display"]
    extensions = [dict(extension) for extension in _extensions(coding)]
    if weight is not None and weight_url is not None:
        if not any(extension.get("url") in WEIGHT_EXTENSIONS for extension in extensions):
            number = int(weight) if float(weight).is_integer() else weight
            extensions.append({"url": weight_url, "valueDecimal": number})
    if extensions:
        rendered["extension"] = extensions
    return json.dumps(rendered, ensure_ascii=False, sort_keys=True)


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
        operator = EnableOperator(data.get("operator") or "")
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


def _total_by_initial_expression(data: Mapping[str, Any], link_id: str) -> dict[str, str] | None:
    """Return an ``initialExpression`` that computes a number from the answers, or None.

    Some files put a total in an initialExpression that reads the response; it is scored
    like a calculatedExpression.  One that reads launch context (``%patient``) or is not
    FHIRPath is prepopulation, which Attune does not do, and is left alone.
    """
    for extension in _extensions(data):
        if extension.get("url") != INITIAL_EXPRESSION_EXTENSION:
            continue
        expression = _object(extension.get("valueExpression"))
        text = expression.get("expression")
        if expression.get("language") != FHIRPATH_LANGUAGE or not isinstance(text, str):
            return None
        if "%resource" in text or "answers()" in text:
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
        if link_id is None and extension.get("url") == CALCULATED_EXPRESSION_EXTENSION:
            # A named calculation on the Questionnaire itself (LHC-Forms writes these) is a
            # variable of every item; an unnamed one has nothing to calculate into.
            found = _fhirpath_expression(extension, link_id)
            if found["name"]:
                variables.append(Variable(name=found["name"], expression=found["expression"]))
        if extension.get("url") == VARIABLE_EXTENSION:
            language = _object(extension.get("valueExpression")).get("language")
            if language == "application/x-fhir-query":
                # A query to the record server, for prepopulation, which Attune does not do:
                # left out; an expression that reads it is refused as reading an unknown name.
                continue
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
