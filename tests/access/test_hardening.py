"""Deployment and input hardening: field keys checked before serving, visible names, isolated
bidi text, a staff password policy, server-side request ids, break-glass use flagged."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient

from attune.access.actor import Actor
from attune.access.checks import check_email_backend, check_proxy_settings
from attune.access.models import AccessEvent, StaffUser, TrailAction
from attune.access.passwords import RepeatedCharacterValidator
from attune.clients.checks import check_field_keys_decrypt, check_field_keys_parse
from attune.clients.forms import ClientProfileForm
from attune.clients.validation import clean_personal_text

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


# --- Field keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "keys",
    [["not-a-key"], [KEY_A, "x" * 44], [KEY_A[:-2]], [""], [KEY_A[1:]]],
)
def test_the_check_refuses_keys_that_are_not_fernet_keys(settings, keys):
    settings.FIELD_ENCRYPTION_KEYS = keys
    (error,) = check_field_keys_parse()[:1]
    assert error.id == "clients.E001"
    assert "\n" not in error.msg and "ATTUNE_FIELD_KEYS" in error.msg


def test_the_check_accepts_good_keys_and_spaces_around_them(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A, f" {KEY_B}"]
    assert check_field_keys_parse() == []


def test_the_deploy_check_decrypts_stored_names_with_the_keys(settings, agency):
    from attune.clients import encrypted

    current = list(settings.FIELD_ENCRYPTION_KEYS)
    assert check_field_keys_decrypt() == []
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]  # a wrong key: what is stored cannot be read
    encrypted._cipher.cache_clear()
    (error,) = check_field_keys_decrypt()
    assert error.id == "clients.E002" and "cannot decrypt" in error.msg
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A, *current]  # a new key first, the old one kept
    assert check_field_keys_decrypt() == []


def test_the_deploy_check_passes_an_empty_database(settings, db):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    assert check_field_keys_decrypt() == []


def test_check_deploy_fails_with_one_line_for_a_malformed_key(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": ":".join(sys.path),
        "ATTUNE_SECRET_KEY": "s" * 60 + "Q7-x",
        "ATTUNE_FIELD_KEYS": f"{KEY_A},definitely-not-a-key",
        "ATTUNE_ALLOWED_HOSTS": "attune.example.org",
        "ATTUNE_VAR_DIR": str(tmp_path),
    }
    command = [sys.executable, "-m", "attune.cli", "manage", "check", "--deploy"]
    result = subprocess.run(
        [*command, "--fail-level", "WARNING"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    (line,) = [line for line in result.stderr.splitlines() if "clients.E001" in line]
    assert "key 2 of 2 is not a Fernet key" in line
    env["ATTUNE_FIELD_KEYS"] = KEY_A
    result = subprocess.run(
        [*command, "--fail-level", "WARNING"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_deploy_check_warns_of_a_proxy_with_no_trusted_hop(settings):
    settings.ATTUNE_BEHIND_PROXY, settings.ATTUNE_PROXY_COUNT = True, 0
    assert [w.id for w in check_proxy_settings()] == ["access.W001"]
    settings.ATTUNE_PROXY_COUNT = 1
    assert check_proxy_settings() == []


def test_the_deploy_check_warns_of_an_email_backend_that_prints(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert [w.id for w in check_email_backend()] == ["access.W002"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert check_email_backend() == []


# --- Names: visible, and bidi controls neutralised ------------------------------------------


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200b\u200b\u200b", "\u202e", "\u202e\u200b", "\u2060\ufeff", "\u0301"],
)
def test_a_name_of_invisible_characters_only_is_refused(agency, invisible):
    form = ClientProfileForm({"chosen_name": invisible, "pronouns": "", "preferred_language": "en"})
    assert not form.is_valid()
    assert "chosen_name" in form.errors


def test_override_controls_are_taken_out_and_joiners_kept():
    spoof = "Ana\u202e nrettap"
    assert clean_personal_text(spoof, max_length=100, label="Name") == "Ana nrettap"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # a ZWNJ inside a Persian word
    assert clean_personal_text(persian, max_length=100, label="Name") == persian
    assert clean_personal_text("\u200bZoë\u200b", max_length=100, label="Name") == "Zoë"


def test_only_invisible_pronouns_are_refused_too():
    with pytest.raises(ValidationError):
        clean_personal_text("\u200d\u200c", max_length=60, label="Pronouns")
    assert clean_personal_text("\u200b \u200b", max_length=60, label="Pronouns") == ""


def test_a_stored_override_is_neutralised_when_read(agency):
    Client = type(agency.client_a)
    # Written before the rule, or straight into the database: stored as it was...
    Client.objects.filter(pk=agency.client_a.pk).update(
        chosen_name="Eve\u202eevil", pronouns="\u202bthey\u202c", legal_name="A\u2066B"
    )
    client = Client.objects.get(pk=agency.client_a.pk)
    # ...but read, shown and exported without the controls.
    assert (client.chosen_name, client.pronouns, client.legal_name) == ("Eveevil", "they", "AB")
    body = signed_in(agency.therapist_a).get(f"/clients/{client.pk}/billing/").content.decode()
    assert "\u202e" not in body and "Eveevil" in body


def test_every_client_name_on_the_record_pages_is_isolated(agency):
    Client = type(agency.client_a)
    name = "\u0644\u064a\u0644\u0649 Layla"  # a right-to-left name, then a Latin one
    Client.objects.filter(pk=agency.client_a.pk).update(chosen_name=name)
    http = signed_in(agency.therapist_a)
    for url in (
        f"/clients/{agency.client_a.pk}/",
        f"/clients/{agency.client_a.pk}/billing/",
        f"/clients/{agency.client_a.pk}/history/",
        f"/clients/{agency.client_a.pk}/edit/",
        f"/clients/{agency.client_a.pk}/identity/",
    ):
        body = http.get(url).content.decode()
        # Screen readers read attributes (aria-label) and the title; the eye reads the rest.
        lines = [re.sub(r'(aria-label|value)="[^"]*"', "", line) for line in body.splitlines()]
        shown = [line for line in lines if name in line and "<title>" not in line]
        assert shown, url
        for line in shown:
            isolated = (f"<bdi>{name}</bdi>", f'dir="auto">{name}<', f'chosen-name">{name}<')
            assert any(form in line for form in isolated), (url, line)


# --- Staff passwords --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaaaa", "repeats"),
        ("abcabcabcabc", "repeats"),
        ("xyzw1xyzw1xyzw1", "repeats"),
        ("Short1!x", "too short"),
        ("password1234", "too common"),
        ("123456789012", "entirely numeric"),
        ("maria.lopez.2026", "too similar"),
    ],
)
def test_the_staff_form_refuses_weak_passwords(agency, password, why):
    http = signed_in(agency.leader)
    response = http.post(
        "/agency/staff/new/",
        {
            "username": "maria.lopez",
            "display_name": "Maria Lopez",
            "role": "therapist",
            "password": password,
        },
    )
    assert why in response.content.decode().replace("&#x27;", "'")
    assert not StaffUser.objects.filter(username="maria.lopez").exists()


def test_a_staff_name_needs_a_visible_character(agency):
    response = signed_in(agency.leader).post(
        "/agency/staff/new/",
        {
            "username": "zw",
            "display_name": "\u200b\u202e",
            "role": "therapist",
            "password": "river lantern copper 42",
        },
    )
    assert "Give the name colleagues will see." in response.content.decode()
    assert not StaffUser.objects.filter(username="zw").exists()


def test_a_long_varied_password_is_accepted(agency):
    RepeatedCharacterValidator().validate("river lantern copper 42")
    response = signed_in(agency.leader).post(
        "/agency/staff/new/",
        {
            "username": "maria.lopez",
            "display_name": "María López",
            "role": "therapist",
            "password": "river lantern copper 42",
        },
    )
    assert response.status_code == 302
    assert StaffUser.objects.get(username="maria.lopez").check_password("river lantern copper 42")


# --- Request ids ------------------------------------------------------------------------------


def test_the_request_id_is_made_on_the_server_whatever_the_client_sends(agency):
    planted = "evil-id\r\nInjected: yes"
    http = HttpClient(HTTP_X_REQUEST_ID=planted)
    response = http.post("/sign-in/", {"username": "ana", "password": "wrong", "otp_token": ""})
    event = AccessEvent.objects.get(action=TrailAction.SIGN_IN_FAILED)
    assert event.request_id != planted and "evil" not in event.request_id
    assert len(event.request_id) == 16 and int(event.request_id, 16) >= 0
    assert response["X-Request-ID"] == event.request_id


# --- Break-glass ------------------------------------------------------------------------------


def last_entry_id() -> int:
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_every_read_under_break_glass_is_flagged_not_only_the_grant(agency):
    client = agency.client_a
    other = signed_in(agency.therapist_b)
    other.post("/break-glass/", {"case_code": client.case_code, "reason": "Client in crisis now"})
    before = last_entry_id()
    assert other.get(f"/clients/{client.pk}/").status_code == 200
    assert other.get(f"/clients/{client.pk}/history/").status_code == 200
    reads = AccessEvent.objects.filter(
        pk__gt=before, actor=agency.therapist_b, client_ref=client.pk
    )
    assert reads.count() >= 2
    assert all(event.flagged and "under break-glass" in event.detail for event in reads)


def test_the_own_therapists_reads_are_not_flagged(agency):
    client = agency.client_a
    signed_in(agency.therapist_b).post(
        "/break-glass/", {"case_code": client.case_code, "reason": "Client in crisis now"}
    )
    before = last_entry_id()
    signed_in(agency.therapist_a).get(f"/clients/{client.pk}/")
    own = AccessEvent.objects.filter(pk__gt=before, actor=agency.therapist_a)
    assert own.exists() and not own.filter(flagged=True).exists()


def test_reads_after_the_grant_ends_are_refused_not_flagged(agency):
    from datetime import timedelta

    from django.utils import timezone

    from attune.access.models import BreakGlassGrant
    from attune.clients.services import break_glass_open

    break_glass_open(
        actor=Actor(user=agency.therapist_b), client=agency.client_a, reason="Client in crisis"
    )
    BreakGlassGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    http = signed_in(agency.therapist_b)
    assert http.get(f"/clients/{agency.client_a.pk}/").status_code == 404
