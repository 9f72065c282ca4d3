"""The leader's form for a new staff account."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation

from attune.access.models import Role, StaffUser
from attune.clients.validation import clean_personal_text


class StaffForm(forms.Form):
    username = forms.RegexField(
        label="Username",
        regex=r"^[\w.@+-]{2,150}$",
        error_messages={"invalid": "Use 2–150 letters, digits and . @ + - _ only."},
    )
    display_name = forms.CharField(label="Name to show", max_length=150)
    pronouns = forms.CharField(label="Pronouns", max_length=60, required=False)
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    password = forms.CharField(
        label="First password",
        strip=False,
        widget=forms.PasswordInput,
        help_text="At least 12 characters; they change it after signing in.",
    )

    def clean_display_name(self) -> str:
        # The same rule as clients' names: something visible, no bidi override characters.
        value = clean_personal_text(
            self.cleaned_data.get("display_name", ""), max_length=150, label="Name to show"
        )
        if not value:
            raise forms.ValidationError("Give the name colleagues will see.")
        return value

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if StaffUser.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken; choose another.")
        return username

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("password"):
            probe = StaffUser(
                username=cleaned.get("username", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(cleaned["password"], probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned
