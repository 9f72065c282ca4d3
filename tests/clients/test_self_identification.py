"""Self-identification and the cultural formulation: the client's words, versions, authors."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.utils.html import escape

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.clients.fhir import PRONOUNS_URL, patient_resource
from attune.clients.models import (
    CulturalFormulation,
    IdentityCategory,
    LinkPurpose,
    Question,
    SelfIdentification,
)
from attune.clients.services import link_issue

FULL_ANSWERS = {
    "chosen_name": "Mai",
    "pronouns": "she/her",
    "gender_words": "a woman, and Vietnamese-American about it 😊",
    "gender": ["woman"],
    "orientation_declined": "on",
    "race_ethnicity_words": "Vietnamese, born in Houston",
    "race_ethnicity": ["asian", "asian-vietnamese"],
    "language_1": "vi",
    "language_2": "en",
    "interpreter": "yes",
    "interpreter_language": "vi",
    "accessibility": ["quiet-room", "captions"],
    "religion_words": "Buddhist, mostly through my grandmother",
    "fee_tier": "reduced",
    "anything_else": "I work nights, so mornings are hard.",
}


def client_session(agency, purpose: str) -> HttpClient:
    issued = link_issue(
        actor=Actor(user=agency.therapist_a), client=agency.client_a, purpose=purpose
    )
    http = HttpClient()
    assert http.get(f"/c/{issued.token}/").status_code == 302
    http.post("/c/language/", {"language": "en"})
    return http


def test_it_stores_the_clients_own_words_as_a_version_written_by_the_client(agency):
    http = client_session(agency, LinkPurpose.SELF_IDENTIFICATION)
    assert http.post("/c/", FULL_ANSWERS).status_code == 302
    identity = SelfIdentification.objects.get(client=agency.client_a)
    assert identity.version == 1
    assert identity.written_by_client and identity.written_by is None
    assert identity.answers["gender"] == {
        "words": "a woman, and Vietnamese-American about it 😊",
        "categories": ["woman"],
    }
    assert identity.answers["languages"] == ["vi", "en"]
    assert identity.declined == ["orientation"]
    assert "sexual_orientation" not in identity.answers and "orientation" not in identity.answers
    codes = set(IdentityCategory.objects.values_list("question", "code"))
    assert {("race_ethnicity", "asian"), ("race_ethnicity", "asian-vietnamese")} <= codes
    assert ("accessibility", "quiet-room") in codes
    agency.client_a.refresh_from_db()
    assert (agency.client_a.chosen_name, agency.client_a.pronouns) == ("Mai", "she/her")
    assert agency.client_a.preferred_language == "vi"
    assert agency.client_a.access_needs == ["quiet-room", "captions"]
    assert AccessEvent.objects.filter(
        section="self_identification", link_ref__isnull=False
    ).exists()


def test_it_records_prefer_not_to_say_apart_from_not_asked(agency):
    http = client_session(agency, LinkPurpose.SELF_IDENTIFICATION)
    http.post("/c/", {"gender_declined": "on"})
    identity = SelfIdentification.objects.get(client=agency.client_a)
    assert identity.declined == ["gender"]
    assert Question.ORIENTATION not in identity.declined
    assert Question.ORIENTATION not in identity.answers


@pytest.mark.parametrize(
    ("tampered", "message"),
    [
        ({"gender": ["robot"]}, "Select a valid choice"),
        ({"race_ethnicity": ["martian"]}, "Select a valid choice"),
        ({"fee_tier": "free-forever"}, "Select a valid choice"),
        ({"is_admin": "1"}, "answers we did not ask for"),
        ({"gender_words": "x" * 501}, "at most 500 characters"),
        ({"gender_words": "mine", "gender_declined": "on"}, "Keep one of them"),
    ],
)
def test_it_refuses_a_tampered_form_keeping_what_was_typed(agency, tampered, message):
    http = client_session(agency, LinkPurpose.SELF_IDENTIFICATION)
    response = http.post("/c/", {"anything_else": "my words stay", **tampered})
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "my words stay" in body
    assert not SelfIdentification.objects.exists()


def test_it_lets_categories_disagree_with_the_words(agency):
    http = client_session(agency, LinkPurpose.SELF_IDENTIFICATION)
    http.post("/c/", {"gender_words": "not a man", "gender": ["man"]})
    assert SelfIdentification.objects.get().answers["gender"]["words"] == "not a man"


def test_it_keeps_every_version_and_who_wrote_it(agency):
    client_session(agency, LinkPurpose.SELF_IDENTIFICATION).post("/c/", FULL_ANSWERS)
    therapist = HttpClient()
    therapist.force_login(agency.therapist_a)
    edit_url = f"/clients/{agency.client_a.pk}/identity/"
    assert therapist.get(edit_url).status_code == 200
    changed = {**FULL_ANSWERS, "pronouns": "she/they"}
    changed.pop("orientation_declined")
    assert therapist.post(edit_url, changed).status_code == 302
    first, second = SelfIdentification.objects.order_by("version")
    assert first.answers["pronouns"] == "she/her" and first.written_by_client
    assert second.answers["pronouns"] == "she/they" and second.written_by == agency.therapist_a
    history = therapist.get(f"/clients/{agency.client_a.pk}/history/").content.decode()
    assert "the client, through a private link" in history
    assert "Ana Therapist" in history


def test_it_shows_the_full_self_identification_on_the_client_page(agency):
    client_session(agency, LinkPurpose.SELF_IDENTIFICATION).post("/c/", FULL_ANSWERS)
    therapist = HttpClient()
    therapist.force_login(agency.therapist_a)
    page = therapist.get(f"/clients/{agency.client_a.pk}/").content.decode()
    assert escape("Buddhist, mostly through my grandmother") in page
    assert "Prefers not to say" in page
    assert "Not asked yet" not in page.split("Sexual orientation")[1][:200]
    caseload = therapist.get("/caseload/").content.decode()
    assert "Quiet room" in caseload and "Captions" in caseload


def test_it_hides_the_self_identification_from_a_supervisor(agency):
    client_session(agency, LinkPurpose.SELF_IDENTIFICATION).post("/c/", FULL_ANSWERS)
    supervisor = HttpClient()
    supervisor.force_login(agency.supervisor)
    page = supervisor.get(f"/clients/{agency.client_a.pk}/").content.decode()
    assert "Buddhist" not in page and "Houston" not in page


def test_it_versions_the_cultural_formulation_and_never_overwrites(agency):
    http = client_session(agency, LinkPurpose.FORMULATION)
    assert http.post("/c/", {"problem": "I cannot sleep since the move."}).status_code == 302
    therapist = HttpClient()
    therapist.force_login(agency.therapist_a)
    url = f"/clients/{agency.client_a.pk}/formulation/"
    assert "I cannot sleep since the move." in therapist.get(url).content.decode()
    therapist.post(url, {"problem": "I cannot sleep since the move.", "hopes": "Sleep, and peace."})
    first, second = CulturalFormulation.objects.order_by("version")
    assert first.answers == {"problem": "I cannot sleep since the move."}
    assert second.answers["hopes"] == "Sleep, and peace."
    assert first.written_by_client and second.written_by == agency.therapist_a


def test_it_exports_a_valid_fhir_patient(agency):
    client_session(agency, LinkPurpose.SELF_IDENTIFICATION).post(
        "/c/", {**FULL_ANSWERS, "legal_name": "Nguyen Thi Mai"}
    )
    agency.client_a.refresh_from_db()
    patient = patient_resource(agency.client_a)
    assert patient["name"] == [
        {"use": "usual", "text": "Mai"},
        {"use": "official", "text": "Nguyen Thi Mai"},
    ]
    pronouns = next(e for e in patient["extension"] if e["url"] == PRONOUNS_URL)
    concept = pronouns["extension"][0]["valueCodeableConcept"]
    assert concept["coding"][0]["code"] == "LA29519-8"
    assert {"url": "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired",
            "valueBoolean": True} in patient["extension"]  # fmt: skip
    assert patient["communication"][0]["preferred"] is True
    assert patient["communication"][0]["language"]["coding"][0]["code"] == "vi"
    therapist = HttpClient()
    therapist.force_login(agency.therapist_a)
    download = therapist.get(f"/clients/{agency.client_a.pk}/fhir/patient/")
    assert download["Content-Type"].startswith("application/fhir+json")
    assert AccessEvent.objects.filter(section="fhir_export").exists()
