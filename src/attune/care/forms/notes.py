"""The form of a session note: its text and the version it was opened on."""

from __future__ import annotations

from django import forms

from attune.care.services.notes import NOTE_LIMIT


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Session note",
        help_text=(
            "Describe what happened in neutral words; quote the client where their words matter. "
            "Check the language before saving if you like: the check is private."
        ),
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 14, "dir": "auto"}),
        error_messages={"required": "Write the note before saving it."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
