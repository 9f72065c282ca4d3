"""Staff sign-in: Argon2, lockout tiers, idle logoff, session cap, second factor, refusals."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import Client as HttpClient
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from attune.access.actor import Actor
from attune.access.middleware import SESSION_SEEN, SESSION_STARTED
from attune.access.models import AccessEvent, TrailAction
from attune.access.services import staff_deactivate
from tests.conftest import PASSWORD


def sign_in(http: HttpClient, username: str, password: str = PASSWORD, otp_token: str = ""):
    return http.post(
        "/sign-in/", {"username": username, "password": password, "otp_token": otp_token}
    )


def test_it_hashes_passwords_with_argon2(agency):
    assert identify_hasher(agency.therapist_a.password).algorithm == "argon2"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_it_signs_in_with_a_new_session_key(agency):
    http = HttpClient()
    http.get("/sign-in/")
    http.session["planted"] = "by someone else"
    before = http.session.session_key
    assert sign_in(http, "ana").status_code == 302
    assert http.session.session_key != before
    assert AccessEvent.objects.filter(action=TrailAction.SIGN_IN, actor=None).exists() is False


def test_it_refuses_a_wrong_password_clearly_and_records_it(agency):
    response = sign_in(HttpClient(), "ana", "wrong password")
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert AccessEvent.objects.filter(action=TrailAction.SIGN_IN_FAILED).count() == 1


def test_it_locks_a_username_and_address_after_five_failures(agency):
    attacker = HttpClient(REMOTE_ADDR="198.51.100.7")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(attacker, "ana", "guess").status_code == 200
    locked = sign_in(attacker, "ana", "guess")
    assert locked.status_code == 429
    assert "paused for 5 minutes" in locked.content.decode()
    # While locked, even the right password from that address is refused...
    assert sign_in(attacker, "ana").status_code == 429
    # ...but the real user elsewhere is not locked out by a stranger.
    assert sign_in(HttpClient(REMOTE_ADDR="192.0.2.1"), "ana").status_code == 302
    assert AccessEvent.objects.filter(action=TrailAction.LOCKED_OUT).exists()


def test_it_ends_every_lock_by_itself(agency):
    attacker = HttpClient(REMOTE_ADDR="198.51.100.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "ana", "guess")
    assert sign_in(attacker, "ana").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=6))
    assert sign_in(attacker, "ana").status_code == 302


def test_it_lengthens_the_lock_for_persistent_guessing(rf):
    from attune.access.lockout import TIERS, cooloff

    request = rf.get("/")
    limit = settings.AXES_FAILURE_LIMIT
    waits = []
    for failures in (limit, 2 * limit, 3 * limit, 50 * limit):
        request.axes_failures_since_start = failures
        waits.append(cooloff(request))
    assert waits == [TIERS[0], TIERS[1], TIERS[2], TIERS[2]]
    assert max(waits) <= timedelta(hours=2)


def test_it_logs_off_after_idle_minutes(agency):
    http = HttpClient()
    http.force_login(agency.therapist_a)
    assert http.get("/caseload/").status_code == 200
    session = http.session
    session[SESSION_SEEN] = time.time() - settings.ATTUNE_IDLE_LOGOFF_MINUTES * 60 - 1
    session.save()
    response = http.get("/caseload/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?logged_off=1"
    assert http.get("/caseload/").status_code == 302
    assert AccessEvent.objects.filter(action=TrailAction.IDLE_LOGOFF).exists()


def test_it_caps_a_session_however_active(agency):
    http = HttpClient()
    http.force_login(agency.therapist_a)
    http.get("/caseload/")
    session = http.session
    session[SESSION_STARTED] = time.time() - settings.ATTUNE_SESSION_MAX_HOURS * 3600 - 1
    session[SESSION_SEEN] = time.time()
    session.save()
    assert http.get("/caseload/").status_code == 302


def test_it_signs_out_a_deactivated_user_at_once(agency):
    http = HttpClient()
    http.force_login(agency.therapist_b)
    assert http.get("/caseload/").status_code == 200
    staff_deactivate(actor=Actor(user=agency.leader), staff=agency.therapist_b)
    response = http.get("/caseload/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_it_requires_a_second_factor_where_configured(agency, settings):
    settings.ATTUNE_REQUIRE_MFA = True
    http = HttpClient()
    assert sign_in(http, "ana").status_code == 302
    assert http.get("/caseload/")["Location"] == "/account/authenticator/"
    page = http.get("/account/authenticator/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=agency.therapist_a)
    wrong = http.post("/account/authenticator/", {"otp_token": "000000"})
    assert "did not match" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows retries after a wrong code; skip the wait
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert http.post("/account/authenticator/", {"otp_token": code}).status_code == 302
    assert http.get("/caseload/").status_code == 200


def test_it_asks_for_the_code_once_an_authenticator_is_set_up(agency, settings):
    settings.ATTUNE_REQUIRE_MFA = True
    device = TOTPDevice.objects.create(user=agency.therapist_a, name="phone", confirmed=True)
    no_code = sign_in(HttpClient(), "ana")
    assert no_code.status_code == 200
    assert "Enter the 6-digit code" in no_code.content.decode()
    wrong = sign_in(HttpClient(), "ana", otp_token="000000")
    assert "did not match" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    http = HttpClient()
    assert sign_in(http, "ana", otp_token=code).status_code == 302
    assert http.get("/caseload/").status_code == 200


def test_it_refuses_a_forged_form_and_records_it(agency):
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(agency.therapist_a)
    response = http.post(f"/clients/{agency.client_a.pk}/edit/", {"chosen_name": "Forged"})
    assert response.status_code == 403
    assert "Nothing was changed" in response.content.decode()
    agency.client_a.refresh_from_db()
    assert agency.client_a.chosen_name == "Zoë-Ann O'Brien"
    assert AccessEvent.objects.filter(action=TrailAction.CSRF_FAILED).exists()


def test_it_refuses_an_oversize_body_and_records_it(agency):
    http = HttpClient()
    http.force_login(agency.therapist_a)
    big = "x" * (settings.ATTUNE_MAX_BODY_BYTES + 1)
    response = http.post(f"/clients/{agency.client_a.pk}/edit/", {"chosen_name": big})
    assert response.status_code == 413
    agency.client_a.refresh_from_db()
    assert agency.client_a.chosen_name == "Zoë-Ann O'Brien"
    assert AccessEvent.objects.filter(action=TrailAction.BODY_TOO_LARGE).exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_it_never_redirects_off_site_after_sign_in(agency, target):
    http = HttpClient()
    response = http.post("/sign-in/", {"username": "ana", "password": PASSWORD, "next": target})
    assert response["Location"] == "/"
