"""Bad input: refused with one line naming what is wrong, never a traceback, nothing stored."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from attune.measures.cli import main
from attune.measures.errors import InstrumentError, ResponseError
from attune.measures.fhir_import import import_questionnaire, load_questionnaire_json
from attune.measures.responses import parse_questionnaire_response
from attune.measures.scoring import score

from .corpus import CORPUS, corpus_instrument, corpus_source
from .test_conformance_corpus import rendered

pytestmark = pytest.mark.pure

EWE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"


def response_to(name, answers):
    return rendered(corpus_instrument(name), answers)


def test_a_response_status_outside_r4_is_refused():
    response = response_to("weights-on-options", {"e1": "some"})
    response["status"] = "done"
    with pytest.raises(ResponseError, match="status 'done' is not a QuestionnaireResponse status"):
        parse_questionnaire_response(response, corpus_instrument("weights-on-options"))


def test_a_string_answering_a_choice_without_open_text_is_refused():
    response = response_to("weights-on-options", {"e1": "some"})
    response["item"][0]["answer"] = [{"valueString": "some"}]
    with pytest.raises(
        ResponseError, match="item 'e1': valueString 'some' does not answer a choice"
    ):
        parse_questionnaire_response(response, corpus_instrument("weights-on-options"))


def test_a_response_to_another_version_is_refused():
    instrument = corpus_instrument("weights-on-options")
    response = response_to("weights-on-options", {"e1": "some"})
    response["questionnaire"] = f"{instrument.url}|2"
    with pytest.raises(ResponseError, match="answers version '2', not '1'"):
        parse_questionnaire_response(response, instrument)


def deeply_nested(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def test_deep_nesting_is_refused_on_import_and_on_scoring():
    with pytest.raises(InstrumentError, match="nested deeper than 100 levels"):
        load_questionnaire_json(deeply_nested(3000))
    with pytest.raises(ResponseError, match="nested deeper than 100 levels"):
        parse_questionnaire_response(deeply_nested(3000), corpus_instrument("no-url"))
    with pytest.raises(InstrumentError, match="nested deeper"):
        import_questionnaire({"resourceType": "Questionnaire", "x": json.loads(deeply_nested(150))})


def test_the_command_line_exits_2_with_one_line_on_deep_nesting(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text(deeply_nested(3000), encoding="utf-8")
    for argv in (
        ["score", str(deep), str(deep)],
        ["score", str(CORPUS / "no-url.json"), str(deep)],
    ):
        finished = subprocess.run(
            [sys.executable, "-m", "attune.measures.cli", *argv],
            capture_output=True,
            text=True,
            check=False,
        )
        assert finished.returncode == 2
        assert "Traceback" not in finished.stderr
        assert len(finished.stderr.strip().splitlines()) == 1


def test_an_enable_when_expression_that_does_not_parse_refuses_the_import():
    source = corpus_source("enable-when-expression")
    source["item"][2]["extension"][0]["valueExpression"]["expression"] = "%resource.item.where("
    with pytest.raises(InstrumentError, match="item 's2': enableWhenExpression: cannot parse"):
        import_questionnaire(source)


def test_an_expression_calling_an_unknown_function_refuses_the_import():
    source = corpus_source("weights-on-options")
    source["item"][3]["extension"][0]["valueExpression"]["expression"] = "%resource.frob()"
    with pytest.raises(InstrumentError, match="item 'total': .* lacks: frob"):
        import_questionnaire(source)


def test_an_answer_list_nobody_loaded_is_refused_in_one_line_naming_it():
    source = corpus_source("external-answer-list")
    source["item"][0]["answerValueSet"] = "http://loinc.org/vs/LL9999-9"
    with pytest.raises(InstrumentError) as caught:
        import_questionnaire(source)
    assert "item 'f1': answerValueSet 'http://loinc.org/vs/LL9999-9' is neither contained" in str(
        caught.value
    )


def test_an_answer_list_from_a_loaded_terminology_bundle_is_used():
    source = corpus_source("external-answer-list")
    source["item"][0]["answerValueSet"] = "urn:agency:vs:often"
    value_set = {
        "resourceType": "ValueSet",
        "url": "urn:agency:vs:often",
        "compose": {
            "include": [
                {
                    "system": "urn:agency",
                    "concept": [
                        {
                            "code": "n",
                            "display": "No",
                            "extension": [
                                {
                                    "url": "http://hl7.org/fhir/StructureDefinition/itemWeight",
                                    "valueDecimal": 0,
                                }
                            ],
                        },
                        {
                            "code": "y",
                            "display": "Yes",
                            "extension": [
                                {
                                    "url": "http://hl7.org/fhir/StructureDefinition/itemWeight",
                                    "valueDecimal": 5,
                                }
                            ],
                        },
                    ],
                }
            ]
        },
    }
    instrument = import_questionnaire(source, terminology={"urn:agency:vs:often": value_set})
    assert score(instrument, {"f1": "y", "f2": "LA6569-3"}).total == 6


def test_a_contained_value_set_cited_by_url_that_is_missing_is_named():
    source = corpus_source("contained-by-url")
    source["contained"][0]["url"] = "urn:other"
    with pytest.raises(InstrumentError, match="'urn:attune:corpus:vs:agree' is neither contained"):
        import_questionnaire(source)


def test_a_tampered_total_from_the_client_is_ignored_and_recomputed():
    instrument = corpus_instrument("weights-on-options")
    response = response_to("weights-on-options", {"e1": "daily", "e2": "daily", "e3": "never"})
    response["item"].append({"linkId": "total", "answer": [{"valueDecimal": 0}]})
    result = score(instrument, parse_questionnaire_response(response, instrument))
    assert result.total == 6 and result.calculated == {"total": 6}
    assert score(instrument, {"e1": "daily", "e2": "daily", "e3": "never", "total": 0}).total == 6


def test_the_command_line_says_could_not_score_in_words(capsys, tmp_path):
    instrument = corpus_instrument("disagreeing-total")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(response_to("disagreeing-total", {"p1": "most", "p2": "some"})))
    code = main(["score", str(CORPUS / "disagreeing-total.json"), str(path), "--format", "text"])
    out = capsys.readouterr().out
    assert code == 0
    assert "total: could not score (the file's calculated total 6 differs" in out
    assert instrument.review_findings


def test_fhirpath_sum_reads_values_from_the_resource():
    source = copy.deepcopy(corpus_source("weights-on-options"))
    instrument = import_questionnaire(source)
    assert score(instrument, {"e1": "most", "e2": "most", "e3": "most"}).calculated == {"total": 6}


def test_a_prepopulation_query_variable_is_left_out_unless_a_calculation_reads_it():
    source = corpus_source("weights-on-options")
    query = {
        "url": "http://hl7.org/fhir/StructureDefinition/variable",
        "valueExpression": {
            "name": "patient",
            "language": "application/x-fhir-query",
            "expression": "Patient?_id={{%patient.id}}",
        },
    }
    source["extension"] = [query]
    assert import_questionnaire(copy.deepcopy(source)).variables == ()
    source["item"][3]["extension"][0]["valueExpression"]["expression"] = "%patient.count()"
    with pytest.raises(
        InstrumentError, match="item 'total': .*reads undeclared variables: %patient"
    ):
        import_questionnaire(source)
