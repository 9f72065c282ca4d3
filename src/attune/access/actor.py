"""Who is acting, from where: passed to every service and query as ``actor=``.

An ``Actor`` may be a staff member, a client holding a link, the system, or nobody yet (a failed
sign-in), so its ``user`` may be None.  A query or service only staff may reach takes a
``StaffActor`` instead, whose ``user`` is always a staff member: the type checker then refuses a
call that could hand it anyone else, and ``StaffActor.from_request`` (or ``actor.as_staff()``)
answers 404 for a request that is not a signed-in staff member's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404

from attune.access.client_address import client_ip

if TYPE_CHECKING:
    from django.http import HttpRequest

    from attune.access.models import StaffUser


class NotStaff(Http404):
    """A staff-only page or query was reached by a link holder, the system or nobody: a 404."""


@dataclass(frozen=True)
class Actor:
    """A staff member, a client holding a link, or nobody yet (a failed sign-in)."""

    user: StaffUser | None = None
    link_id: int | None = None
    ip: str | None = None
    request_id: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest, *, link_id: int | None = None) -> Actor:
        """Return the actor behind ``request``."""
        user = getattr(request, "user", None)
        return Actor(
            user=user if user is not None and user.is_authenticated else None,
            link_id=link_id,
            ip=client_ip(request),
            request_id=getattr(request, "request_id", ""),
        )

    @classmethod
    def system(cls) -> Actor:
        """Return the actor for command-line and background work."""
        return Actor(request_id="system")

    def as_staff(self) -> StaffActor:
        """Return this actor as a ``StaffActor``; raise ``NotStaff`` (a 404) if it has no user."""
        if isinstance(self, StaffActor):
            return self
        if self.user is None:
            raise NotStaff("This page is for staff.")
        return StaffActor(
            user=self.user, link_id=self.link_id, ip=self.ip, request_id=self.request_id
        )


@dataclass(frozen=True)
class StaffActor(Actor):
    """An actor who is a signed-in (or seeded, or command-line) staff member: ``user`` is set."""

    user: StaffUser  # narrowed from the base's `StaffUser | None`: never None here

    def __post_init__(self) -> None:
        if self.user is None:
            raise NotStaff("This page is for staff.")

    @classmethod
    def from_request(cls, request: HttpRequest, *, link_id: int | None = None) -> StaffActor:
        """Return the staff member behind ``request``; raise ``NotStaff`` (a 404) otherwise."""
        return Actor.from_request(request, link_id=link_id).as_staff()
