"""The language of each request, and the names of the client pages' languages.

Staff pages are always in the staff language (``settings.LANGUAGE_CODE``).  A client page turns
on the client's language for its own request only: ``RequestLanguageMiddleware`` starts every
request in the staff language and, whatever happens, puts the thread back afterwards, so a
worker thread that has just served a client in Arabic serves the next staff request in English.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation


class RequestLanguageMiddleware:
    """Scope any language (and time zone) a view turns on to the request that turned it on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        try:
            return self.get_response(request)
        finally:
            translation.deactivate()
            timezone.deactivate()


def client_language_choices() -> list[dict]:
    """Return the client pages' languages, each named in its own language (never a bare tag)."""
    return [
        {
            "code": code,
            "name": translation.get_language_info(code)["name_local"],
            "bidi": translation.get_language_info(code)["bidi"],
        }
        for code, _name in settings.CLIENT_LANGUAGES
    ]
