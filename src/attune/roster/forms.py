"""The leader's upload form for a roster or schedule file."""

from __future__ import annotations

from django import forms

from attune.roster.models import ImportKind

# The site refuses bodies over ATTUNE_MAX_BODY_BYTES (2 MB) before a view runs; 1.5 MB leaves
# room for the rest of the form, so an oversize file is refused here, in words.
MAX_UPLOAD_BYTES = 1_500_000
UPLOAD_LIMIT_LABEL = "1.5 MB"


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        initial=ImportKind.ROSTER,
    )
    file = forms.FileField(
        label="CSV file",
        help_text=f"Up to {UPLOAD_LIMIT_LABEL}. Saved from a spreadsheet as CSV (UTF-8 is best).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {UPLOAD_LIMIT_LABEL}; split it into smaller files, or "
                "import it with the attune import command."
            )
        return upload


class ImportApplyForm(forms.Form):
    skip_rejected = forms.BooleanField(
        label="Import the other rows and leave the rejected ones out",
        required=False,
    )
