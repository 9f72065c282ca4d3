"""FHIRPath for SDC calculated items: strict parsing, the SDC functions, and evaluation.

fhirpathpy does the evaluating. Three gaps are filled here: its parser recovers silently from
syntax errors (``1 +`` parses), so expressions are first parsed strictly against the grammar's
``entireExpression`` rule; the SDC functions ``answers()``, ``ordinal()`` and ``weight()``
are not built in, so they are supplied through fhirpathpy's user-function table; and its
``power()`` returns empty for a fractional exponent (fhirpathpy 2.2.4: ``2.power(0.5)`` is
``{}``, where FHIRPath says 1.414…), so a corrected ``power()`` replaces it in the same table,
as do ``sum()``, ``min()``, ``max()`` and ``avg()``, which in fhirpathpy 2.2.4 fail on values
read from a resource (``extension.value.sum()`` adds the tree nodes, not their numbers).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from antlr4 import CommonTokenStream, InputStream
from antlr4.error.ErrorListener import ErrorListener
from fhirpathpy import evaluate
from fhirpathpy.engine.invocations import invocation_registry
from fhirpathpy.engine.nodes import ResourceNode
from fhirpathpy.models import models
from fhirpathpy.parser import parse
from fhirpathpy.parser.generated.FHIRPathLexer import FHIRPathLexer
from fhirpathpy.parser.generated.FHIRPathParser import FHIRPathParser

from attune.measures.errors import InstrumentError

# Names every SDC expression may use without declaring them.
ENVIRONMENT_VARIABLES = frozenset(
    {"resource", "questionnaire", "context", "rootResource", "ucum", "sct", "loinc"}
)
SDC_FUNCTION_NAMES = frozenset({"answers", "ordinal", "weight"})
WEIGHT_EXTENSIONS = (
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value",
)
_ANSWER_PATH = "QuestionnaireResponse.item.answer"


class FhirPathSyntaxError(ValueError):
    """An expression does not match the FHIRPath grammar."""


class FhirPathEvaluationError(ValueError):
    """An expression parsed but failed while running on a response."""


class _RaiseOnSyntaxError(ErrorListener):
    # antlr calls this hook by its camel-case name.
    def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e):
        raise FhirPathSyntaxError(f"at column {column + 1}: {msg}")


def parse_strictly(expression: str) -> dict[str, Any]:
    """Return fhirpathpy's syntax tree for ``expression``, or raise ``FhirPathSyntaxError``."""
    lexer = FHIRPathLexer(InputStream(expression))
    lexer.removeErrorListeners()
    lexer.addErrorListener(_RaiseOnSyntaxError())
    parser = FHIRPathParser(CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(_RaiseOnSyntaxError())
    parser.entireExpression()
    return parse(expression)


def _nodes(tree: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield tree
    for child in tree.get("children", []) or []:
        yield from _nodes(child)


def function_names(tree: Mapping[str, Any]) -> set[str]:
    """Return the names of the functions an expression calls."""
    names: set[str] = set()
    for node in _nodes(tree):
        if node.get("type") == "Functn":
            for child in node.get("children", []):
                if child.get("type") == "Identifier":
                    names.add(child["text"].strip("`"))
    return names


def constant_names(tree: Mapping[str, Any]) -> set[str]:
    """Return the ``%names`` an expression reads (string-quoted ones included)."""
    names: set[str] = set()
    for node in _nodes(tree):
        if node.get("type") != "ExternalConstant":
            continue
        identifiers = [c for c in node.get("children", []) if c.get("type") == "Identifier"]
        if identifiers:
            names.add(identifiers[0]["text"].strip("`"))
        else:
            quoted = [t for t in node.get("terminalNodeText", []) if t != "%"]
            if quoted:
                names.add(quoted[0].strip("'"))
    return names


def check_expression(expression: str, *, link_id: str | None, visible: set[str]) -> None:
    """Raise ``InstrumentError`` unless the engine can parse and run ``expression``.

    ``visible`` holds the variable names in scope; an unknown function or variable is caught
    now, at import, rather than when a client's answers are being scored.
    """
    where = "calculated expression" if link_id is not None else "variable"
    try:
        tree = parse_strictly(expression)
    except FhirPathSyntaxError as error:
        raise InstrumentError(
            f"cannot parse FHIRPath {where} {expression!r} ({error})", link_id=link_id
        ) from None
    except Exception as error:  # the generated parser can raise its own exception types
        raise InstrumentError(
            f"cannot parse FHIRPath {where} {expression!r} ({error})", link_id=link_id
        ) from None
    unknown_functions = function_names(tree) - set(invocation_registry) - SDC_FUNCTION_NAMES
    if unknown_functions:
        raise InstrumentError(
            f"FHIRPath {expression!r} calls functions the engine lacks: "
            + ", ".join(sorted(unknown_functions)),
            link_id=link_id,
        )
    unknown_variables = constant_names(tree) - visible - ENVIRONMENT_VARIABLES
    if unknown_variables:
        raise InstrumentError(
            f"FHIRPath {expression!r} reads undeclared variables: "
            + ", ".join("%" + name for name in sorted(unknown_variables)),
            link_id=link_id,
        )


def _answers_below(items: Sequence[Any]) -> Iterator[Mapping[str, Any]]:
    for item in items:
        if not isinstance(item, Mapping):
            continue
        for answer in item.get("answer", []) or []:
            if isinstance(answer, Mapping):
                yield answer
                yield from _answers_below(answer.get("item", []) or [])
        yield from _answers_below(item.get("item", []) or [])


def coding_weight(coding: Mapping[str, Any]) -> float | None:
    """Return the weight a coding carries in its own extensions, or None."""
    for extension in coding.get("extension", []) or []:
        if isinstance(extension, Mapping) and extension.get("url") in WEIGHT_EXTENSIONS:
            for key in ("valueDecimal", "valueInteger"):
                value = extension.get(key)
                if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    return float(value)
    return None


def _power(inputs: list[Any], exponent: Any) -> list[Any]:
    """FHIRPath ``power()``: empty when undefined (a negative base with a fractional exponent)."""
    if len(inputs) != 1 or exponent is None:
        return []
    base = inputs[0]
    if isinstance(exponent, list):
        if len(exponent) != 1:
            return []
        exponent = exponent[0]
    if isinstance(base, bool) or isinstance(exponent, bool):
        return []
    if not isinstance(base, int | float | Decimal) or not isinstance(
        exponent, int | float | Decimal
    ):
        return []
    if isinstance(base, int) and isinstance(exponent, int) and exponent >= 0:
        return [base**exponent]
    try:
        result = float(base) ** float(exponent)
    except (OverflowError, ZeroDivisionError):
        return []
    if isinstance(result, complex) or result != result or result in (float("inf"), -float("inf")):
        return []
    return [Decimal(repr(result))]


def _numbers(inputs: list[Any], name: str) -> list[Decimal]:
    numbers: list[Decimal] = []
    for value in inputs:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise FhirPathEvaluationError(f"{name}() of something that is not a number: {value!r}")
        numbers.append(value if isinstance(value, Decimal) else Decimal(repr(value)))
    return numbers


def _sum(inputs: list[Any]) -> list[Any]:
    return [sum(_numbers(inputs, "sum"), Decimal(0))]


def _min(inputs: list[Any]) -> list[Any]:
    numbers = _numbers(inputs, "min")
    return [min(numbers)] if numbers else []


def _max(inputs: list[Any]) -> list[Any]:
    numbers = _numbers(inputs, "max")
    return [max(numbers)] if numbers else []


def _avg(inputs: list[Any]) -> list[Any]:
    numbers = _numbers(inputs, "avg")
    return [sum(numbers, Decimal(0)) / len(numbers)] if numbers else []


def sdc_function_table(
    weight_of: Callable[[str | None, str], float | None],
) -> dict[str, dict[str, Any]]:
    """Return fhirpathpy user functions: ``answers()``, ``ordinal()``, ``weight()``, ``power()``.

    A coding's weight is the one it carries (an SDC renderer copies the option's coding with
    its extensions into the response); without one, ``weight_of(system, code)`` looks it up
    in the instrument (options, contained or external value sets).
    """

    def answers(inputs: list[Any]) -> list[ResourceNode]:
        # Typed nodes let ``.value`` resolve to valueCoding, valueInteger and so on.
        return [
            ResourceNode.create_node(answer, _ANSWER_PATH)
            for answer in _answers_below([entry for entry in inputs if isinstance(entry, Mapping)])
        ]

    def weights(inputs: list[Any]) -> list[float]:
        found: list[float] = []
        for entry in inputs:
            coding = entry
            if isinstance(entry, Mapping) and "valueCoding" in entry:
                coding = entry["valueCoding"]
            # Only codings carry weights; a number answered in an integer item is not one.
            if isinstance(coding, Mapping) and "code" in coding:
                weight = coding_weight(coding)
                if weight is None:
                    weight = weight_of(coding.get("system"), str(coding["code"]))
                if weight is not None:
                    found.append(weight)
        return found

    return {
        "answers": {"fn": answers},
        "ordinal": {"fn": weights},
        "weight": {"fn": weights},
        # fhirpathpy 2.2.4 adds the nodes themselves, not their values: ``extension.value.sum()``
        # fails on a valueDecimal.  These read the values (their inputs arrive unwrapped).
        "sum": {"fn": _sum},
        "min": {"fn": _min},
        "max": {"fn": _max},
        "avg": {"fn": _avg},
        "power": {"fn": _power, "arity": {1: ["Number"]}},
    }


def plain_value(result: list[Any]) -> Any:
    """Return one Python value from a FHIRPath result list: None, a scalar, or a list."""
    values = [_plain(entry) for entry in result]
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, ResourceNode):
        value = value.data
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None or isinstance(value, str | int | float | bool | dict | list):
        return value
    # Dates, times and quantities come back as engine objects; their text is what is stored.
    return str(value)


def evaluate_expression(
    expression: str,
    *,
    response: Mapping[str, Any],
    questionnaire: Mapping[str, Any],
    variables: Mapping[str, Any],
    functions: Mapping[str, Any],
) -> list[Any]:
    """Evaluate ``expression`` on a QuestionnaireResponse with SDC's environment."""
    environment = {
        "resource": response,
        "rootResource": response,
        "context": response,
        "questionnaire": questionnaire,
        "sct": "http://snomed.info/sct",
        "loinc": "http://loinc.org",
        **variables,
    }
    result = evaluate(
        copy.deepcopy(dict(response)),
        expression,
        environment,
        models["r4"],
        {"userInvocationTable": dict(functions)},
    )
    # Some functions (single(), for one) report failure as a value instead of raising.
    for entry in result:
        if isinstance(entry, Mapping) and entry.get("$status") == "error":
            raise FhirPathEvaluationError(str(entry.get("$error") or "evaluation failed"))
    return result
