"""The language audit in the browser: a leader's agency documents and a clinician's draft note.

Each audit runs inside the request and is then forgotten: no model, no trail entry, no count.
Uploads stay in memory (the site's body limit is under Django's in-memory upload size).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from attune.language import FileReport, ReaderError, audit_bytes, audit_text, highlight_html
from attune.language import render_html as render_report
from attune.language.forms import (
    UPLOAD_LIMIT_LABEL,
    UPLOAD_TYPES_LABEL,
    DocumentAuditForm,
    DraftNoteForm,
    ReportDownloadForm,
)

# A page stays quick to render and to read; the downloaded report lists every finding.
FINDINGS_SHOWN = 300

CHECK_NAMES = {
    "chosen_name": "Chosen name asked",
    "pronouns": "Pronouns asked",
    "gender_options": "Gender: more than two options, and room to self-describe",
    "race_ethnicity_multi_select": "Race and ethnicity: several answers allowed",
    "language_preference": "Preferred language asked",
    "interpreter_need": "Need for an interpreter asked",
    "accessibility_needs": "Access needs asked",
    "prefer_not_to_say": "\u201cPrefer not to say\u201d offered on sensitive questions",
    "legal_name_reason": "Legal name asked only with its reason",
    "labels": "Every field has a label",
}
STATUS_WORDS = {"present": "Present", "missing": "Missing"}
REPORT_FAILED = "The report could not be made. Check the document again, then download it."
PROFILE_WORDS = {"forms": "a form", "materials": "client material", "notes": "a note"}


def _findings_view(report: FileReport) -> dict:
    """Return the marked text and the numbered findings that its marks link to."""
    ordered = sorted(report.findings, key=lambda finding: finding.start_offset)
    shown = dataclasses.replace(report, findings=ordered[:FINDINGS_SHOWN])
    numbered, cursor = [], 0
    for number, finding in enumerate(shown.findings, 1):
        # highlight_html leaves out a finding that overlaps the mark before it.
        marked = finding.start_offset >= cursor
        if marked:
            cursor = finding.end_offset
        numbered.append({"number": number, "finding": finding, "marked": marked})
    return {
        # highlight_html escapes the text; the only markup it adds is its own mark and link.
        "highlighted": mark_safe(highlight_html(shown)),  # noqa: S308
        "numbered_findings": numbered,
        "hidden_findings": len(ordered) - len(shown.findings),
    }


def _results(report: FileReport) -> dict:
    checks: list[dict[str, Any]] = [
        {
            "name": CHECK_NAMES.get(check.check, check.check),
            "status": STATUS_WORDS[check.status],
            "check": check,
        }
        for check in report.checks
        if check.status in STATUS_WORDS
    ]
    return {
        "report": report,
        "profile_words": PROFILE_WORDS[report.profile],
        "checks": checks,
        "missing_checks": sum(row["check"].status == "missing" for row in checks),
        **_findings_view(report),
    }


def _audit_upload(form: DocumentAuditForm, data: bytes, filename: str) -> FileReport | None:
    """Return the document's report, or None with the reason added to the form."""
    try:
        report = audit_bytes(data, filename, profile=form.chosen_profile())
    except ReaderError as error:
        form.add_error(None, f"Attune could not read that document: {error}.")
        return None
    if not report.text.strip():
        form.add_error(
            None,
            f"{filename} has no text Attune can read. A scanned PDF holds pictures of words; "
            "export the original document instead.",
        )
        return None
    return report


@login_required
@require_http_methods(["GET", "POST"])
def document_audit(request):
    if not request.user.has_perm("language.audit_documents"):
        raise Http404
    form = DocumentAuditForm(request.POST or None, request.FILES or None)
    context = {"form": form, "limit": UPLOAD_LIMIT_LABEL, "types": UPLOAD_TYPES_LABEL}
    if request.method == "POST" and form.is_valid():
        data, filename = form.source()
        report = _audit_upload(form, data, filename)
        if report is not None:
            context |= _results(report)
            context["download_form"] = ReportDownloadForm.for_report(report, data, filename)
    return render(request, "language/document_audit.html", context)


@login_required
@require_POST
def report_download(request):
    if not request.user.has_perm("language.audit_documents"):
        raise Http404
    form = ReportDownloadForm(request.POST)
    if not form.is_valid():
        messages.error(request, REPORT_FAILED)
        return redirect("language:document_audit")
    data = form.cleaned_data
    filename = data["filename"]
    try:
        report = audit_text(data["text"], profile=data["profile"], path=filename, kind=data["kind"])
    except ReaderError:
        messages.error(request, REPORT_FAILED)
        return redirect("language:document_audit")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", filename.rsplit(".", 1)[0]).strip("-")[:60]
    response = HttpResponse(render_report([report]), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"language-audit-{stem or 'document'}.html"
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def note_check(request):
    if not request.user.has_perm("language.check_draft_note"):
        raise Http404
    form = DraftNoteForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        report = audit_text(form.cleaned_data["text"], profile="notes", path="Draft note")
        context |= _findings_view(report) | {"report": report}
    return render(request, "language/note_check.html", context)
