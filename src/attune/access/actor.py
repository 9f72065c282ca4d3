"""Who is acting, from where: passed to every service and query as ``actor=``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from attune.access.client_address import client_ip

if TYPE_CHECKING:
    from django.http import HttpRequest

    from attune.access.models import StaffUser


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
        return cls(
            user=user if user is not None and user.is_authenticated else None,
            link_id=link_id,
            ip=client_ip(request),
            request_id=getattr(request, "request_id", ""),
        )

    @classmethod
    def system(cls) -> Actor:
        """Return the actor for command-line and background work."""
        return cls(request_id="system")
