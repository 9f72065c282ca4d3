"""The language of each request, and the names of the client pages' languages.

Staff pages are always in the staff language (``settings.LANGUAGE_CODE``).  A client page turns
on the client's language for its own request only: ``RequestLanguageMiddleware`` starts every
request in the staff language and, whatever happens, puts the thread back afterwards, so a
worker thread that has just served a client in Arabic serves the next staff request in English.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext


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
    """Return the client pages' languages, each named in itself ("Español", "العربيّة")."""
    choices = []
    for code, _name in settings.CLIENT_LANGUAGES:
        info = translation.get_language_info(code)
        local = info["name_local"]
        choices.append({"code": code, "name": local[:1].upper() + local[1:], "bidi": info["bidi"]})
    return choices


def agency_name() -> str:
    """Return the agency's name as clients know it, or "Your care team" in the active language."""
    return settings.ATTUNE_AGENCY_NAME or gettext("Your care team")


def client_page_context(request) -> dict:
    """Template context of every page: what the client pages show around their content.

    Only the client pages' base template reads it: the agency and how to reach it, the crisis
    contact, and the languages to switch to.  Nothing here reads the database.
    """
    return {
        "client_help": {
            "agency_name": agency_name,
            "agency_contact": settings.ATTUNE_AGENCY_CONTACT,
            "crisis_contact": settings.ATTUNE_CRISIS_CONTACT,
            "languages": client_language_choices,
        }
    }


def welcome_in_each_language() -> list[dict]:
    """Return the first screen's greeting once in each client language, before one is chosen."""
    welcomes = []
    for choice in client_language_choices():
        with translation.override(choice["code"]):
            welcomes.append(
                {
                    **choice,
                    "heading": gettext("Choose your language"),
                    "text": gettext(
                        "%(agency)s sent you this private link. Choose the language for these "
                        "pages; you can change it on every page."
                    )
                    % {"agency": agency_name()},
                    "crisis_heading": gettext("Need help now?"),
                    "crisis": gettext(
                        "If you are in danger or thinking of harming yourself, call your local "
                        "emergency number now."
                    ),
                    "also_call": gettext("You can also call:"),
                }
            )
    return welcomes
