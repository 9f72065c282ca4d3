"""Deployment checks of the settings that keep addresses right and secrets out of the output."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

# Django's backends that write whole messages (and so clients' links) to the server's output.
PRINTING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def check_proxy_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn when Attune is said to be behind a proxy but trusts no hop of X-Forwarded-For."""
    if getattr(settings, "ATTUNE_BEHIND_PROXY", False) and settings.ATTUNE_PROXY_COUNT == 0:
        return [
            checks.Warning(
                "ATTUNE_BEHIND_PROXY is true but ATTUNE_PROXY_COUNT is 0: every request would "
                "seem to come from the proxy (lockouts, trail, link limits). Leave "
                "ATTUNE_PROXY_COUNT empty for one proxy, or set the number of proxies.",
                id="access.W001",
            )
        ]
    return []


def check_email_backend(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn when email would be printed: each invitation carries a client's private link."""
    if settings.EMAIL_BACKEND in PRINTING_EMAIL_BACKENDS:
        return [
            checks.Warning(
                f"ATTUNE_EMAIL_BACKEND is {settings.EMAIL_BACKEND}: it writes every message, "
                "with its private link and address, to the server's output. Use SMTP.",
                id="access.W002",
            )
        ]
    return []
