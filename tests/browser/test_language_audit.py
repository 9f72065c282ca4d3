"""The language audit pages in Chromium: a leader's intake form, a clinician's draft note."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.test_pages import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# A published intake form beside the repository (../shared/fixtures, or ATTUNE_SHARED_FIXTURES);
# the test that uploads it skips on a fresh clone without it.
FHIR_INTAKE = (
    Path(
        os.environ.get("ATTUNE_SHARED_FIXTURES")
        or Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
    )
    / "intake"
    / "medplum-patient-intake-abridged.json"
)
INTAKE_FORM = """<!doctype html>
<html lang="en"><head><title>New client intake</title></head><body><form>
<p>Welcome. Please fill in this form before your first visit.</p>
<label for="first">First name</label><input id="first" name="first">
<label for="last">Last name</label><input id="last" name="last">
<label for="mother">Mother's maiden name</label><input id="mother" name="mother">
<fieldset><legend>Sex</legend>
<label><input type="radio" name="sex" value="m"> Male</label>
<label><input type="radio" name="sex" value="f"> Female</label></fieldset>
<label for="use">Are you an alcoholic or a drug addict?</label><input id="use" name="use">
</form></body></html>
"""


def test_a_leader_audits_an_intake_form_and_downloads_the_report(
    agency, live_server, desktop, tmp_path
):
    sign_in(desktop, live_server, "lee")
    desktop.get_by_role("link", name="Language audit").click()
    desktop.get_by_role("heading", name="Language audit of agency documents").wait_for()
    assert "Nothing is stored" in desktop.content()
    assert_accessible(desktop)

    form = tmp_path / "intake.html"
    form.write_text(INTAKE_FORM, encoding="utf-8")
    desktop.get_by_label("Document").set_input_files(str(form))
    desktop.get_by_role("button", name="Check the document").click()
    desktop.get_by_role("heading", name="Results for intake.html").wait_for()

    marks = desktop.locator("pre.audit-text mark")
    assert marks.count() >= 2
    assert "Mother's maiden name" in marks.all_inner_texts()
    checks = desktop.locator(".audit-checks")
    assert "Chosen name asked: Missing." in checks.inner_text()
    assert "Pronouns asked: Missing." in checks.inner_text()
    # A mark's number leads to its explanation, and back.
    desktop.locator("pre.audit-text sup a").first.click()
    assert desktop.url.endswith("#f1")
    explanation = desktop.locator("#f1")
    assert "Why:" in explanation.inner_text()
    assert "Try instead:" in explanation.inner_text()
    assert_accessible(desktop)

    with desktop.expect_download() as downloading:
        desktop.get_by_role("button", name="Download the report (HTML)").click()
    download = downloading.value
    assert download.suggested_filename == "language-audit-intake.html"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    report = saved.read_text(encoding="utf-8")
    assert "Mother&#x27;s maiden name" in report
    assert "family-role-field" in report
    assert "line 6, column" in report  # the text came back with its line breaks
    assert "Missing" in report
    desktop.goto(saved.as_uri())  # the standalone report is accessible too
    assert_accessible(desktop)


@pytest.mark.skipif(
    not FHIR_INTAKE.is_file(), reason=f"published intake form not found at {FHIR_INTAKE}"
)
def test_a_leader_audits_the_fhir_intake_questionnaire(agency, live_server, desktop):
    sign_in(desktop, live_server, "lee")
    desktop.goto(f"{live_server.url}/agency/language-audit/")
    desktop.get_by_label("Document").set_input_files(str(FHIR_INTAKE))
    desktop.get_by_label("A form clients fill in").check()
    desktop.get_by_role("button", name="Check the document").click()
    desktop.get_by_role("heading", name=f"Results for {FHIR_INTAKE.name}").wait_for()
    assert "Chosen name asked: Missing." in desktop.locator(".audit-checks").inner_text()
    assert "Reading grade" in desktop.locator("#reading-heading + p").inner_text()
    assert_accessible(desktop)


def test_a_leader_is_told_clearly_when_a_file_cannot_be_read(
    agency, live_server, desktop, tmp_path
):
    sign_in(desktop, live_server, "lee")
    desktop.goto(f"{live_server.url}/agency/language-audit/")
    picture = tmp_path / "scan.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    desktop.get_by_label("Document").set_input_files(str(picture))
    desktop.get_by_role("button", name="Check the document").click()
    desktop.get_by_text("Please fix 1 thing below").wait_for()
    assert "Choose a TXT, Markdown, HTML, Word (DOCX), PDF" in desktop.content()
    assert_accessible(desktop)


def test_a_therapist_checks_a_draft_note(agency, live_server, desktop):
    sign_in(desktop, live_server, "ana")
    desktop.get_by_role("link", name="Check a note").click()
    desktop.get_by_role("heading", name="Check a draft note").wait_for()
    assert "Nothing is saved or shared." in desktop.content()
    assert_accessible(desktop)

    draft = "Client claims she was compliant but is a poor historian"
    desktop.get_by_label("Draft note").fill(draft)
    desktop.get_by_role("button", name="Check the draft").click()
    desktop.get_by_role("heading", name="What the check found").wait_for()
    assert desktop.locator("pre.audit-text mark").all_inner_texts() == ["claims", "poor historian"]
    findings = desktop.locator(".audit-findings").inner_text()
    assert "reports" in findings
    assert "had difficulty recalling dates" in findings
    assert desktop.get_by_label("Draft note").input_value() == draft
    assert_accessible(desktop)


def test_a_supervisor_may_check_a_draft_note(agency, live_server, desktop):
    sign_in(desktop, live_server, "sol")
    desktop.get_by_role("link", name="Check a note").click()
    desktop.get_by_label("Draft note").fill("The client is an addict.")
    desktop.get_by_role("button", name="Check the draft").click()
    desktop.get_by_role("heading", name="What the check found").wait_for()
    assert desktop.locator("pre.audit-text mark").all_inner_texts() == ["addict"]
    assert_accessible(desktop)
