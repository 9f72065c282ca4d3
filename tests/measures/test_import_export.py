"""``attune measures import FILE`` and ``export --client ID`` through the database."""

from __future__ import annotations

import json

import pytest

from attune.measures.cli import main
from attune.measures.fhir_export import questionnaire_from_instrument
from attune.measures.models import StoredInstrument
from attune.measures.queries import validate_bundle
from tests.measures.checkins import PHQ9_CODES, answer, answered_checkin, phq9_answers, send_checkin

SLEEP_CHECK = """\
attune_instrument: 1
name: sleep-check
url: urn:example:clinic:sleep-check
version: "2"
validated: false
items:
  - {link_id: nights, type: integer, range: {min: 0, max: 7}, text: Nights slept badly}
scoring: {method: sum}
"""


def run(capsys, *argv):
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_it_imports_an_attune_yaml_file(db, capsys, tmp_path):
    path = tmp_path / "sleep.yaml"
    path.write_text(SLEEP_CHECK, encoding="utf-8")
    code, out, _ = run(capsys, "import", path)
    assert code == 0 and out.startswith("imported: urn:example:clinic:sleep-check|2")
    stored = StoredInstrument.objects.get()
    assert stored.source == SLEEP_CHECK and stored.validated is False
    assert run(capsys, "import", path)[1].startswith("already stored")
    assert StoredInstrument.objects.count() == 1


def test_it_imports_a_fhir_questionnaire(db, capsys, tmp_path):
    from attune.measures.bundled import load_bundled_instrument

    questionnaire = questionnaire_from_instrument(load_bundled_instrument("gad7"))
    questionnaire["url"] = "urn:example:clinic:gad7"
    path = tmp_path / "gad7.json"
    path.write_text(json.dumps(questionnaire), encoding="utf-8")
    assert run(capsys, "import", path)[0] == 0
    assert StoredInstrument.objects.get().source_format == "fhir"


def test_it_imports_nothing_from_a_broken_file(db, capsys, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(SLEEP_CHECK.replace("max: 7", "max: seven"), encoding="utf-8")
    code, out, err = run(capsys, "import", path)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("attune measures import:")
    assert not StoredInstrument.objects.exists()


def test_it_refuses_different_content_under_the_same_version(db, capsys, tmp_path):
    path = tmp_path / "sleep.yaml"
    path.write_text(SLEEP_CHECK, encoding="utf-8")
    run(capsys, "import", path)
    path.write_text(SLEEP_CHECK.replace("Nights slept badly", "Bad nights"), encoding="utf-8")
    code, _, err = run(capsys, "import", path)
    assert code == 2 and "give the new one another version" in err


def test_it_exports_responses_and_total_scores_as_a_valid_bundle(agency, capsys):
    answered_checkin(agency.client_a, 7)
    answer(send_checkin(agency.client_a, instrument_name="phq9"), phq9_answers([PHQ9_CODES[1]] * 9))
    code, out, _ = run(capsys, "export", "--client", agency.client_a.pk)
    assert code == 0
    bundle = json.loads(out)
    validate_bundle(bundle)
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds == ["QuestionnaireResponse", "Observation"] * 2
    phq9_total = bundle["entry"][3]["resource"]
    assert phq9_total["code"]["coding"][0]["code"] == "44261-6"
    assert phq9_total["valueQuantity"]["value"] == 9
    assert phq9_total["derivedFrom"][0]["reference"] == bundle["entry"][2]["fullUrl"]
    assert agency.client_a.chosen_name not in out


def test_it_exports_by_case_code_and_exits_2_for_an_unknown_client(agency, capsys):
    assert run(capsys, "export", "--client", agency.client_a.case_code)[0] == 0
    code, _, err = run(capsys, "export", "--client", "NOPE")
    assert code == 2 and err.strip() == "attune measures export: no client 'NOPE'"


@pytest.mark.parametrize("name", ["phq9", "session-checkin"])
def test_it_exports_a_questionnaire_response_that_fhir_accepts(agency, name):
    from attune.access.actor import Actor
    from attune.measures.queries import client_fhir_bundle

    if name == "phq9":
        answer(
            send_checkin(agency.client_a, instrument_name="phq9"), phq9_answers([PHQ9_CODES[0]] * 9)
        )
    else:
        answered_checkin(agency.client_a, 4, comment="¿Qué tal?")
    bundle = client_fhir_bundle(actor=Actor.system(), client=agency.client_a)
    assert bundle["entry"][0]["resource"]["status"] == "completed"
