"""The address a request really came from: one function for lockouts, the trail and link limits.

Without a proxy the address is the connection's own (``REMOTE_ADDR``) and any
``X-Forwarded-For`` header is ignored: a client can write anything there.  Behind
``ATTUNE_PROXY_COUNT`` proxies (``ATTUNE_BEHIND_PROXY=true`` alone means one), each proxy appends
the address it was connected from, so the client's address is the one that many hops from the
right of the header.  Entries further left were written by the client and are never read.  A
header with fewer entries than proxies, or a hop that is not an address, means the request did
not come through the proxies as configured: the connection's own address is used.

Written here rather than taken from django-ipware so that the rule is these few lines, read by
django-axes (``AXES_CLIENT_IP_CALLABLE``), ``Actor.from_request`` and the body-size refusal alike.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def proxy_count() -> int:
    """Return how many trusted proxies stand between the clients and Attune."""
    return max(0, int(getattr(settings, "ATTUNE_PROXY_COUNT", 0) or 0))


def _address(text: str) -> str | None:
    """Return ``text`` as a normalised IP address, or None if it is not one."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """Return the address of the client behind ``request``, as configured (see module doc)."""
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    count = proxy_count()
    if count == 0:
        return peer
    forwarded = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop]
    if len(forwarded) < count:
        return peer
    return _address(forwarded[-count]) or peer
