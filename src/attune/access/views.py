"""Sign-in and sign-out, the second factor, home and the error pages."""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, user_login_failed
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from attune.access import anonymous, services, trail
from attune.access.actor import Actor, StaffActor
from attune.access.forms import ConfirmDeviceForm, SignInForm
from attune.access.lockout import locked_out_response
from attune.access.models import TrailAction

WRONG_CREDENTIALS = "That username and password do not match. Check them and try again."
CODE_NEEDED = "Enter the 6-digit code your authenticator app shows for Attune."
WRONG_CODE = "That code did not match. Codes change every 30 seconds; try the current one."


def _next_url(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _second_factor(user, token: str) -> tuple[TOTPDevice | None, str]:
    """Return the user's authenticator and what is wrong with ``token`` ('' if nothing)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None, ""
    if not token.strip():
        return device, CODE_NEEDED
    return device, "" if device.verify_token(token.strip()) else WRONG_CODE


@never_cache
def sign_in(request):
    if request.user.is_authenticated:
        return redirect("access:home")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        actor = Actor.from_request(request)
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return locked_out_response(request, {"username": username})
        if user is None:
            services.sign_in_recorded(actor=actor, username=username, succeeded=False)
            form.add_error(None, WRONG_CREDENTIALS)
        else:
            device, problem = _second_factor(user, form.cleaned_data["otp_token"])
            if problem == WRONG_CODE:
                # A wrong code counts towards the lockout like a wrong password.
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=request
                )
                services.sign_in_recorded(actor=actor, username=username, succeeded=False)
            if problem:
                form.add_error("otp_token", problem)
            else:
                login(request, user)  # rotates the session key
                if device is not None:
                    otp_login(request, device)
                services.sign_in_recorded(
                    actor=Actor.from_request(request), username=username, succeeded=True
                )
                return redirect(_next_url(request) or "access:home")
    logged_off = request.GET.get("logged_off") == "1"
    return render(
        request,
        "access/sign_in.html",
        {"form": form, "logged_off": logged_off, "next": _next_url(request) or ""},
    )


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        trail.record(
            actor=Actor.from_request(request),
            action=TrailAction.SIGN_OUT,
            object_type="staff_session",
        )
    logout(request)
    return redirect("access:login")


@login_required
@never_cache
def mfa_setup(request):
    actor = StaffActor.from_request(request)
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return render(request, "access/mfa_done.html")
    device = services.totp_device_start(actor=actor)
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(
            actor=actor, device=device, token=form.cleaned_data["otp_token"]
        ):
            otp_login(request, device)
            messages.success(request, "Your authenticator is set up.")
            return redirect("access:home")
        form.add_error("otp_token", WRONG_CODE)
    qr_svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return render(
        request,
        "access/mfa_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg.to_string(encoding="unicode"),
            "secret": b32encode(device.bin_key).decode(),
        },
    )


@login_required
def home(request):
    user = request.user
    if user.is_therapist:
        return redirect("care:today")
    if user.is_supervisor:
        return redirect("supervision:supervisees")
    if user.is_leader:
        return redirect("agency:overview")
    raise Http404


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request, reason: str = ""):
    """Refuse a forged or stale form, say what to do, and record it."""
    anonymous.note_failure(
        actor=Actor.from_request(request),
        action=TrailAction.CSRF_FAILED,
        detail=f"{request.method} {request.path[:200]}",
    )
    return render(request, "access/csrf_failed.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
