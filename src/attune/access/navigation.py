"""Where a staff form goes after it is handled: back to the page it came from, if that is ours."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request) -> str:
    """Return the request's ``next`` (form or query) when it is a path on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def redirect_back(request, default: str, **kwargs):
    """Redirect to the form's ``next`` field when it is a path on this site, else to ``default``.

    Pages such as "Today" offer the same actions as the pages they summarise; ``next`` brings the
    therapist back where they were. Anything pointing elsewhere is ignored.
    """
    target = safe_next(request)
    return redirect(target) if target else redirect(default, **kwargs)
