"""What a private link opens: one page per purpose, registered by the app that owns the purpose.

An app registers its page in its ``AppConfig.ready`` (by importing the module that calls
``register``).  The page is called with the request and the client's link once the link has been
checked, the link's session is live and the client's page language is active; it records its
reads and writes with ``Actor.from_request(request, link_id=link.pk)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class LinkPage:
    purpose: str
    label: str  # what staff are told the link is for
    view: Callable[[HttpRequest, object], HttpResponse]
    single_use: bool = True


PAGES: dict[str, LinkPage] = {}


def register(purpose: str, *, label: str, single_use: bool = True):
    """Register the decorated view as the page that links for ``purpose`` open."""

    def decorator(view):
        if purpose in PAGES and PAGES[purpose].view is not view:
            raise ValueError(f"link purpose {purpose!r} is registered twice")
        PAGES[purpose] = LinkPage(purpose, label, view, single_use)
        return view

    return decorator


def page_for(purpose: str) -> LinkPage | None:
    """Return the page registered for ``purpose``, if any."""
    return PAGES.get(purpose)
