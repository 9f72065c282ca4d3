"""A client's self-identification as a FHIR R4 Patient resource.

Names are exported as the client wrote them (``text`` only, no assumed given/family split):
``usual`` for the chosen name, ``official`` for a legal name.  Validated with fhir.resources
(R4B, whose Patient is the same as R4's).
"""

from __future__ import annotations

from typing import Any

from attune.clients.models import Client, InterpreterNeed, Question

PRONOUNS_URL = "http://hl7.org/fhir/StructureDefinition/individual-pronouns"
INTERPRETER_URL = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
GENDER_IDENTITY_URL = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
BCP47 = "urn:ietf:bcp:47"

# LOINC answers for the most common pronoun sets (answer list LL5144-2).
PRONOUN_CODES = {
    "he/him": ("LA29518-0", "he/him/his/his/himself"),
    "she/her": ("LA29519-8", "she/her/her/hers/herself"),
    "they/them": ("LA29520-6", "they/them/their/theirs/themselves"),
}
# SNOMED CT concepts US Core lists for gender identity.
GENDER_CODES = {
    "woman": ("446141000124107", "Identifies as female gender"),
    "man": ("446151000124109", "Identifies as male gender"),
    "non-binary": ("33791000087105", "Identifies as nonbinary gender"),
}


def _concept(text: str, system: str | None = None, code_and_display=None) -> dict:
    concept: dict = {"text": text}
    if system and code_and_display:
        code, display = code_and_display
        concept["coding"] = [{"system": system, "code": code, "display": display}]
    return concept


def patient_resource(client: Client) -> dict:
    """Return the FHIR Patient for ``client``, validated; raise ValueError if it is not valid."""
    answers = client.latest_identity.answers if client.latest_identity else {}
    patient: dict = {
        "resourceType": "Patient",
        "id": client.case_code.replace("-", "").lower(),
        "identifier": [{"system": "urn:attune:case-code", "value": client.case_code}],
        "name": [{"use": "usual", "text": client.chosen_name}],
    }
    if client.legal_name:
        patient["name"].append({"use": "official", "text": client.legal_name})
    extensions: list[dict[str, Any]] = []
    if client.pronouns:
        pronoun_value = _concept(
            client.pronouns, LOINC, PRONOUN_CODES.get(client.pronouns.strip().lower())
        )
        extensions.append(
            {
                "url": PRONOUNS_URL,
                "extension": [{"url": "value", "valueCodeableConcept": pronoun_value}],
            }
        )
    if client.interpreter_needed in (InterpreterNeed.YES, InterpreterNeed.NO):
        extensions.append(
            {
                "url": INTERPRETER_URL,
                "valueBoolean": client.interpreter_needed == InterpreterNeed.YES,
            }
        )
    gender = answers.get(Question.GENDER) or {}
    for code in gender.get("categories", []):
        if code in GENDER_CODES:
            extensions.append(
                {
                    "url": GENDER_IDENTITY_URL,
                    "valueCodeableConcept": _concept(
                        gender.get("words") or GENDER_CODES[code][1], SNOMED, GENDER_CODES[code]
                    ),
                }
            )
    if gender.get("words") and not any(c in GENDER_CODES for c in gender.get("categories", [])):
        extensions.append(
            {"url": GENDER_IDENTITY_URL, "valueCodeableConcept": {"text": gender["words"]}}
        )
    if extensions:
        patient["extension"] = extensions
    languages = answers.get(Question.LANGUAGES) or (
        [client.preferred_language] if client.preferred_language else []
    )
    if languages:
        patient["communication"] = [
            {
                "language": {"coding": [{"system": BCP47, "code": tag}], "text": tag},
                "preferred": index == 0,
            }
            for index, tag in enumerate(languages)
        ]
    validate_patient(patient)
    return patient


def validate_patient(patient: dict) -> None:
    """Raise ValueError unless ``patient`` is a valid FHIR Patient."""
    from fhir.resources.R4B.patient import Patient

    try:
        Patient.model_validate(patient)
    except Exception as exc:  # pydantic's ValidationError, kept out of callers' imports
        raise ValueError(f"not a valid FHIR Patient: {exc}") from exc
