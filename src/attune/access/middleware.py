"""Request-wide rules: request ids, body size, session limits, second factor, private headers."""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.contrib.auth import logout
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse

from attune.access import anonymous, trail
from attune.access.actor import Actor
from attune.access.client_address import client_ip
from attune.access.models import TrailAction

SESSION_STARTED = "attune_started"
SESSION_SEEN = "attune_seen"
# Only rewrite the session's "last seen" time after this many seconds, to spare a write per click.
SEEN_RESOLUTION_SECONDS = 30


class RequestIdMiddleware:
    """Give each request an id, echoed in a header and stored with its trail entries.

    The id is always made here: an ``X-Request-ID`` sent by the client is ignored, so nobody can
    plant a value of their choosing in the trail or make two requests share an id.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = secrets.token_hex(8)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class BodySizeLimitMiddleware:
    """Refuse oversize bodies before anything reads them (413), and note it in the trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.ATTUNE_MAX_BODY_BYTES:
            anonymous.note_failure(
                actor=Actor(ip=client_ip(request), request_id=request.request_id),
                action=TrailAction.BODY_TOO_LARGE,
                detail=f"{length} bytes to {request.path[:200]}",
            )
            return render(request, "access/too_large.html", status=413)
        return self.get_response(request)


class SessionLimitsMiddleware:
    """Log staff off after idle minutes and after an absolute number of hours."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get(SESSION_STARTED, now)
            seen = session.get(SESSION_SEEN, now)
            idle_limit = settings.ATTUNE_IDLE_LOGOFF_MINUTES * 60
            if now - seen > idle_limit or now - started > settings.ATTUNE_SESSION_MAX_HOURS * 3600:
                trail.record(
                    actor=Actor.from_request(request),
                    action=TrailAction.IDLE_LOGOFF,
                    object_type="staff_session",
                )
                logout(request)
                return redirect(f"{reverse('access:login')}?logged_off=1")
            session.setdefault(SESSION_STARTED, now)
            if now - seen >= SEEN_RESOLUTION_SECONDS or SESSION_SEEN not in session:
                session[SESSION_SEEN] = now
        return self.get_response(request)


class RequireSecondFactorMiddleware:
    """Where a second factor is required, send staff without one to set it up first."""

    EXEMPT_NAMES = ("access:mfa_setup", "access:logout", "access:login", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt_paths: set[str] | None = None

    def __call__(self, request):
        user = request.user
        if settings.ATTUNE_REQUIRE_MFA and user.is_authenticated and not user.is_verified():
            if self.exempt_paths is None:
                self.exempt_paths = {reverse(name) for name in self.EXEMPT_NAMES}
            if request.path_info not in self.exempt_paths:
                return redirect("access:mfa_setup")
        return self.get_response(request)


CLIENT_PAGES = "/c/"


class ClientPageCsrfMiddleware(CsrfViewMiddleware):
    """Django's CSRF protection, accepting the ``null`` Origin that client pages cause.

    Client pages send ``Referrer-Policy: no-referrer``, and browsers then send
    ``Origin: null`` with their forms.  The CSRF token is still required, and the session
    cookie is SameSite=Lax, so a cross-site form never carries a client session.
    """

    def _origin_verified(self, request) -> bool:
        if request.META.get("HTTP_ORIGIN") == "null" and request.path_info.startswith(CLIENT_PAGES):
            return True
        return super()._origin_verified(request)  # type: ignore[misc]  # private: not in the stubs


class PrivatePageHeadersMiddleware:
    """Keep every page out of caches, and client pages' link tokens out of Referer headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith("/static/"):
            response["Cache-Control"] = "no-store"
            if request.path_info.startswith(CLIENT_PAGES):
                response["Referrer-Policy"] = "no-referrer"
            response.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            )
        return response
