"""The language audit pages: a leader's agency documents and a clinician's private draft check."""

from __future__ import annotations

import os
import re
from html import unescape
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attune.access.models import AccessEvent
from attune.language import forms as language_forms
from attune.language import views as language_views
from tests.language.builders import make_docx, make_pdf

AUDIT = "/agency/language-audit/"
DOWNLOAD = "/agency/language-audit/report/"
NOTE = "/notes/check/"
DRAFT = "Client claims she was compliant but is a poor historian"
INTAKE_HTML = b"""<!doctype html><html lang="en"><body><form>
<label for="first">First name</label><input id="first" name="first">
<label for="mother">Mother's name</label><input id="mother" name="mother">
<fieldset><legend>Sex</legend>
<label><input type="radio" name="sex" value="m"> Male</label>
<label><input type="radio" name="sex" value="f"> Female</label></fieldset>
<p>Tell us if you are an addict or suffer from depression.</p>
</form></body></html>"""
FHIR_INTAKE = (
    Path(
        os.environ.get("ATTUNE_SHARED_FIXTURES")
        or Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
    )
    / "intake"
    / "medplum-patient-intake-abridged.json"
)
# On a fresh clone without ../shared the tests that read it skip with one line.
needs_intake = pytest.mark.skipif(
    not FHIR_INTAKE.is_file(), reason=f"published intake form not found at {FHIR_INTAKE}"
)


def upload(name: str, data: bytes, **extra) -> dict:
    return {"document": SimpleUploadedFile(name, data), "text": "", "profile": "", **extra}


def page_text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def leader(agency, client):
    client.force_login(agency.leader)
    return client


@pytest.fixture
def therapist(agency, client):
    client.force_login(agency.therapist_a)
    return client


def test_it_marks_findings_in_place_with_why_and_what_to_try(leader):
    response = leader.post(AUDIT, upload("intake.html", INTAKE_HTML))
    body = response.content.decode()
    assert response.status_code == 200
    marks = re.findall(r'<mark class="(\w+)" id="(m\d+)"[^>]*>([^<]*)</mark>', body)
    assert ("warning", "m1", "Mother&#x27;s name") in marks
    assert any(text == "addict" for _, _, text in marks)
    for _, mark_id, _ in marks:
        number = mark_id[1:]
        assert f'href="#f{number}"' in body  # each mark links to its explanation
        assert f'<li id="f{number}"' in body
        assert f'href="#m{number}"' in body  # and the explanation links back
    text = page_text(response)
    assert "Why:" in text and "Try instead:" in text
    assert "parent or guardian" in text
    assert "person with a substance use disorder" in text
    assert "Checked as a form." in text


def test_it_lists_the_form_checks_in_words(leader):
    response = leader.post(AUDIT, upload("intake.html", INTAKE_HTML))
    text = " ".join(page_text(response).split())
    assert "Chosen name asked: Missing." in text
    assert "Pronouns asked: Missing." in text
    assert "Gender: more than two options, and room to self-describe: Missing." in text
    assert "Every field has a label: Present." in text


@needs_intake
def test_it_reads_the_fhir_intake_questionnaire(leader):
    response = leader.post(AUDIT, upload(FHIR_INTAKE.name, FHIR_INTAKE.read_bytes()))
    text = " ".join(page_text(response).split())
    assert "Results for medplum-patient-intake-abridged.json" in text
    assert "Checked as a form." in text
    assert "Chosen name asked: Missing." in text
    assert "Reading grade" in text


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("intake.docx", make_docx(["Mother's name: ____", "Are you an addict? [ ] Yes [ ] No"])),
        ("intake.pdf", make_pdf(["Mother's name: ____", "Are you an addict? [ ] Yes [ ] No"])),
        ("intake.md", b"# Intake\n\nMother's name: ____\n\n- [ ] I am an addict\n"),
        ("intake.txt", b"Mother's name: ____\nAre you an addict? [ ] Yes [ ] No\n"),
    ],
)
def test_it_reads_each_document_type(leader, name, data):
    response = leader.post(AUDIT, upload(name, data))
    body = response.content.decode()
    assert f"Results for {name}" in body
    assert 'title="warning: family-role-field"' in body
    assert 'title="warning: substance-person-label"' in body


def test_it_audits_pasted_text_and_recognises_html(leader):
    response = leader.post(AUDIT, {"text": INTAKE_HTML.decode(), "profile": ""})
    text = " ".join(page_text(response).split())
    assert "Results for Pasted text" in text
    assert "Every field has a label: Present." in text  # read as HTML, not as plain text


def test_it_uses_the_profile_the_leader_chooses(leader):
    pasted = {"text": "The client was noncompliant and refused to engage.", "profile": "notes"}
    response = leader.post(AUDIT, pasted)
    text = " ".join(page_text(response).split())
    assert "Checked as a note." in text
    assert "Form checks" not in text
    assert 'id="m1"' in response.content.decode()


def test_it_escapes_the_document(leader):
    response = leader.post(AUDIT, {"text": "<script>alert(1)</script> an addict", "profile": ""})
    body = response.content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize(
    ("post", "message"),
    [
        (upload("photo.png", b"\x89PNG\r\n"), "Choose a TXT, Markdown, HTML, Word (DOCX), PDF"),
        (upload("locked.pdf", make_pdf(["secret"], encrypted=True)), "the PDF is encrypted"),
        (upload("broken.docx", b"PK\x03\x04 not really"), "not a readable DOCX file"),
        (upload("empty.txt", b""), "That file is empty"),
        (upload("blank.txt", b"  \n\n"), "blank.txt has no text Attune can read"),
        ({"text": "", "profile": ""}, "Choose a file to upload or paste some text."),
        (
            upload("a.txt", b"an addict", text="an addict too"),
            "Upload a file or paste text, not both.",
        ),
        (upload("big.txt", b"a" * 1_500_001), "That file is larger than 1.5 MB"),
        ({"text": "a" * 200_001, "profile": ""}, "Paste at most 200,000 characters"),
    ],
)
def test_it_refuses_bad_input_clearly_and_stores_nothing(leader, post, message):
    before = row_counts()
    response = leader.post(AUDIT, post)
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert "Results for" not in response.content.decode()
    assert row_counts() == before


def test_it_keeps_the_upload_limit_under_the_sites_body_limit_and_in_memory():
    assert language_forms.MAX_UPLOAD_BYTES < settings.ATTUNE_MAX_BODY_BYTES
    # Django keeps uploads up to this size in memory, so a document never reaches the disk.
    assert settings.ATTUNE_MAX_BODY_BYTES <= settings.FILE_UPLOAD_MAX_MEMORY_SIZE


def test_it_says_the_limit_and_that_nothing_is_stored(leader):
    text = " ".join(page_text(leader.get(AUDIT)).split())
    assert "Files up to 1.5 MB" in text
    assert "Nothing is stored" in text
    assert "never a client's record" in text


def test_a_body_over_the_site_limit_is_refused_before_the_view(leader):
    oversize = upload("huge.txt", b"a" * (settings.ATTUNE_MAX_BODY_BYTES + 1))
    response = leader.post(AUDIT, oversize)
    assert response.status_code == 413
    assert "Nothing was saved" in response.content.decode()


def test_it_writes_nothing_but_the_sessions_last_seen_time(leader):
    leader.get(AUDIT)
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        response = leader.post(AUDIT, upload("intake.html", INTAKE_HTML))
    assert response.status_code == 200
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert all("django_session" in sql for sql in writes), writes
    assert row_counts() == before
    assert "Mother" not in str(dict(leader.session.items()))


def test_it_offers_the_report_as_a_download(leader):
    lines = ["First name: ____", "Mother's name: ____", "Date of birth: ____"]
    response = leader.post(AUDIT, upload("Intake Form.docx", make_docx(lines)))
    body = response.content.decode()
    assert f'action="{reverse("language:report_download")}"' in body
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', body))
    assert hidden["kind"] == "text"  # a DOCX comes back as its extracted text
    assert hidden["profile"] == "forms"
    assert unescape(hidden["text"]) == "\n".join(lines)
    hidden.pop("csrfmiddlewaretoken")
    download = leader.post(DOWNLOAD, {key: unescape(value) for key, value in hidden.items()})
    assert download.status_code == 200
    assert download["Content-Type"] == "text/html; charset=utf-8"
    assert download["Content-Disposition"] == (
        'attachment; filename="language-audit-Intake-Form.html"'
    )
    report = download.content.decode()
    assert report.startswith("<!doctype html>")
    assert "Intake Form.docx" in report
    assert "family-role-field" in report
    assert "chosen name" in report  # the form checks are in the report too


@pytest.mark.parametrize(
    "post",
    [
        {"text": "x", "kind": "exe", "profile": "forms", "filename": "a.txt"},
        {"text": "{not json", "kind": "fhir", "profile": "forms", "filename": "a.json"},
    ],
)
def test_a_download_that_cannot_be_made_sends_the_leader_back(leader, post):
    response = leader.post(DOWNLOAD, post)
    assert response.status_code == 302
    assert response["Location"] == AUDIT
    assert "The report could not be made" in leader.get(AUDIT).content.decode()


def test_it_offers_no_download_when_the_text_could_not_be_sent_back(leader, monkeypatch):
    monkeypatch.setattr(language_forms, "DOWNLOAD_ROOM", settings.ATTUNE_MAX_BODY_BYTES - 10)
    response = leader.post(AUDIT, {"text": "an addict\n" * 2, "profile": ""})
    body = response.content.decode()
    assert "Results for Pasted text" in body
    assert "Download the report" not in body
    assert "attune lint --format html" in body


def test_it_marks_only_the_first_findings_of_a_very_long_document(leader, monkeypatch):
    monkeypatch.setattr(language_views, "FINDINGS_SHOWN", 2)
    response = leader.post(AUDIT, {"text": "an addict, a junkie, an alcoholic", "profile": ""})
    body = response.content.decode()
    assert 'id="m2"' in body and 'id="m3"' not in body
    assert "Only the first 2 passages are marked here; 1 more" in body


def test_therapists_and_supervisors_cannot_audit_agency_documents(agency, client):
    for persona in (agency.therapist_a, agency.supervisor):
        client.force_login(persona)
        assert client.post(AUDIT, upload("intake.html", INTAKE_HTML)).status_code == 404
        assert client.post(DOWNLOAD, {"text": "x"}).status_code == 404


def test_it_shows_a_therapist_their_draft_findings_with_suggestions(therapist):
    response = therapist.post(NOTE, {"text": DRAFT})
    body = response.content.decode()
    assert response.status_code == 200
    assert '<mark class="warning" id="m1" title="warning: credibility-doubt">claims</mark>' in body
    assert 'title="warning: credibility-historian">poor historian</mark>' in body
    text = page_text(response)
    assert "reports" in text and "had difficulty recalling dates" in text
    assert DRAFT in unescape(body)  # the draft stays in the box to edit and check again


def test_a_draft_check_leaves_no_trace(agency, therapist):
    therapist.get(NOTE)
    before = row_counts()
    trail_before = list(AccessEvent.objects.values_list("pk", flat=True))
    therapist.post(NOTE, {"text": DRAFT})
    assert row_counts() == before
    assert list(AccessEvent.objects.values_list("pk", flat=True)) == trail_before
    assert "historian" not in str(dict(therapist.session.items()))


def test_it_says_nothing_is_saved_or_shared(therapist):
    text = " ".join(page_text(therapist.get(NOTE)).split())
    assert "Nothing is saved or shared." in text


def test_a_supervisor_may_check_a_draft_too(agency, client):
    client.force_login(agency.supervisor)
    response = client.post(NOTE, {"text": DRAFT})
    assert 'title="warning: credibility-doubt"' in response.content.decode()


def test_a_leader_cannot_open_the_draft_check(leader):
    assert leader.post(NOTE, {"text": DRAFT}).status_code == 404


def test_it_asks_for_a_draft_when_the_box_is_blank(therapist):
    response = therapist.post(NOTE, {"text": "   "})
    assert "Paste the text to check." in response.content.decode()
    assert "<mark" not in response.content.decode()


def test_the_header_links_each_role_to_its_page(agency, client):
    client.force_login(agency.leader)
    page = client.get(AUDIT).content.decode()
    assert 'href="/agency/language-audit/" aria-current="page">Language audit' in page
    client.force_login(agency.therapist_a)
    page = client.get(NOTE).content.decode()
    assert 'href="/notes/check/" aria-current="page">Check a note' in page
