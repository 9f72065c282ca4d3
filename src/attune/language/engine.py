"""The library API: audit text, bytes or files and get FileReports back."""

from __future__ import annotations

from pathlib import Path

from attune.language.checks import run_checks
from attune.language.config import LintConfig
from attune.language.document import Document
from attune.language.readability import measure
from attune.language.readers import ReaderError, read_document, read_text_document
from attune.language.results import PROFILES, FileReport, FormModel
from attune.language.rulebook import ProfileIndex, default_index
from attune.language.scanner import scan_document

DEFAULT_PROFILE = "forms"
MAX_INPUT_BYTES = 200 * 1024 * 1024

__all__ = [
    "ReaderError",
    "audit_bytes",
    "audit_document",
    "audit_path",
    "audit_text",
    "choose_profile",
]


def choose_profile(document: Document, requested: str | None, config: LintConfig) -> str:
    """Return the profile to use: the one asked for, the config's, or a guess from the input.

    Without a choice, inputs that contain form questions are audited as forms and everything
    else as client materials; notes are never guessed, because auditing a note as a form (or
    a form as a note) gives misleading results.
    """
    profile = requested or config.profile
    if profile:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
        return profile
    return DEFAULT_PROFILE if document.form.is_form else "materials"


def audit_document(
    document: Document,
    *,
    profile: str | None = None,
    config: LintConfig | None = None,
    index: ProfileIndex | None = None,
) -> FileReport:
    """Audit an already-read document."""
    config = config or LintConfig()
    chosen = choose_profile(document, profile, config)
    index = index or default_index(chosen)
    findings = [
        finding
        for finding in scan_document(document, index, config.scan_options())
        if not config.allows(finding, document.path)
    ]
    return FileReport(
        path=document.path,
        profile=chosen,
        findings=findings,
        # Reading a form's structure costs time on long inputs, so only forms pay for it.
        checks=run_checks(document.form if chosen == "forms" else FormModel(), chosen),
        readability=measure(document, target_grade=config.target_grade),
        text=document.text,
        lines=document.lines(),
    )


def audit_text(
    text: str,
    *,
    profile: str | None = None,
    config: LintConfig | None = None,
    path: str = "<text>",
    kind: str = "text",
) -> FileReport:
    """Audit pasted text (plain text by default; kind may be markdown, html or fhir)."""
    if kind in {"pdf", "docx"}:
        raise ValueError("audit_text takes text; use audit_bytes for PDF and DOCX files")
    document = read_text_document(text, path, kind=kind)
    return audit_document(document, profile=profile, config=config)


def audit_bytes(
    data: bytes,
    filename: str,
    *,
    profile: str | None = None,
    config: LintConfig | None = None,
) -> FileReport:
    """Audit an uploaded file's bytes; the reader is chosen from its content and filename.

    Raises ReaderError (one-line message) when the bytes cannot be read.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise ReaderError(f"{filename}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    return audit_document(read_document(data, filename), profile=profile, config=config)


def audit_path(
    path: str | Path,
    *,
    profile: str | None = None,
    config: LintConfig | None = None,
) -> FileReport:
    """Audit one file on disk; raises ReaderError when it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ReaderError(f"{path}: cannot read ({error.strerror or error})") from None
    return audit_bytes(data, str(path), profile=profile, config=config)
