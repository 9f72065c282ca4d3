"""Forms of the language audit pages: a leader's document, a clinician's draft note, a download.

The audit runs inside the request; none of these forms is saved anywhere.
"""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from attune.language import FileReport
from attune.language.readers import detect_kind
from attune.language.uploads import MAX_UPLOAD_BYTES, UPLOAD_EXTENSIONS, UPLOAD_LIMIT_LABEL

MAX_PASTED_CHARACTERS = 200_000
UPLOAD_TYPES_LABEL = "TXT, Markdown, HTML, Word (DOCX), PDF or FHIR Questionnaire JSON"
# Kinds the download form may ask for: DOCX and PDF come back as their extracted text, which
# the engine reads exactly as plain text.
DOWNLOAD_KINDS = ("text", "markdown", "html", "fhir")
PASTED_NAME = "Pasted text"
# What a download request needs besides the text: the other fields and multipart boundaries.
DOWNLOAD_ROOM = 64 * 1024

PROFILE_CHOICES = [
    ("", "Let Attune tell: a form if it asks questions, otherwise client material"),
    ("forms", "A form clients fill in (also checks its questions)"),
    ("materials", "Client material: a leaflet, letter, web page or consent text"),
    ("notes", "A note or letter about a client, such as a note template"),
]


def _text_field(label: str, help_text: str, *, required: bool, rows: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        strip=False,  # positions in the page refer to the text exactly as it was pasted
        max_length=MAX_PASTED_CHARACTERS,
        error_messages={
            "required": "Paste the text to check.",
            "max_length": (
                f"Paste at most {MAX_PASTED_CHARACTERS:,} characters; split a longer text "
                "and check each part."
            ),
        },
        widget=forms.Textarea(attrs={"rows": rows, "spellcheck": "true"}),
    )


class DocumentAuditForm(forms.Form):
    """An agency document, uploaded or pasted, and the profile to read it with."""

    document = forms.FileField(
        label="Document",
        required=False,
        help_text=f"A {UPLOAD_TYPES_LABEL} file, up to {UPLOAD_LIMIT_LABEL}.",
        error_messages={"empty": "That file is empty. Choose a file with some text in it."},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_EXTENSIONS)}),
    )
    text = _text_field(
        "Or paste the text",
        "HTML and FHIR JSON are recognised; anything else is read as plain text.",
        required=False,
        rows=8,
    )
    profile = forms.ChoiceField(
        label="What kind of document is it?",
        choices=PROFILE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if not upload:
            return None
        if PurePath(upload.name).suffix.lower() not in UPLOAD_EXTENSIONS:
            raise ValidationError(f"Choose a {UPLOAD_TYPES_LABEL} file.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"That file is larger than {UPLOAD_LIMIT_LABEL}. Split it, or run "
                "`attune lint` on it instead."
            )
        return upload

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        has_file = bool(cleaned.get("document"))
        has_text = bool(cleaned.get("text", "").strip())
        if self.errors:
            return cleaned
        if has_file and has_text:
            raise ValidationError("Upload a file or paste text, not both.")
        if not has_file and not has_text:
            raise ValidationError("Choose a file to upload or paste some text.")
        return cleaned

    def source(self) -> tuple[bytes, str]:
        """Return the document's bytes and the name to show for it."""
        upload = self.cleaned_data.get("document")
        if upload:
            return upload.read(), PurePath(upload.name).name[:120]
        return self.cleaned_data["text"].encode("utf-8"), PASTED_NAME

    def chosen_profile(self) -> str | None:
        return self.cleaned_data.get("profile") or None


class DraftNoteForm(forms.Form):
    """A clinician's draft note, checked with the notes profile and then forgotten."""

    text = _text_field(
        "Draft note",
        "Paste the draft as you would write it. Leave out names if you like; the check "
        "does not need them.",
        required=True,
        rows=10,
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise ValidationError("Paste the text to check.")
        return text


class ReportDownloadForm(forms.Form):
    """The checked text sent back from the results page, so the report needs no storage."""

    text = forms.CharField(strip=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=[(kind, kind) for kind in DOWNLOAD_KINDS])
    profile = forms.ChoiceField(choices=PROFILE_CHOICES[1:])
    filename = forms.CharField(max_length=120)

    @classmethod
    def for_report(
        cls, report: FileReport, data: bytes, filename: str
    ) -> ReportDownloadForm | None:
        """Return the form that asks for the report of ``report`` again, or None when the text
        would not fit in a request (browsers send each line break as two characters)."""
        size = len(report.text.encode("utf-8")) + report.text.count("\n")
        if size > settings.ATTUNE_MAX_BODY_BYTES - DOWNLOAD_ROOM:
            return None
        kind = detect_kind(data, filename)
        return cls(
            initial={
                "text": report.text,
                "kind": kind if kind in DOWNLOAD_KINDS else "text",
                "profile": report.profile,
                "filename": filename,
            }
        )
