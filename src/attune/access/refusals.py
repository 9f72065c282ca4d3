"""Refused reads: a request for a record the policy does not allow is answered 404 and trailed.

The answer is the same 404 whether the record exists or not, so nobody learns of a client they
may not see; the trail, which only leaders read, says who asked for what and whether it exists.
A therapist walking other therapists' client ids leaves one ``denied`` entry per request.

Queries call ``refused_for`` where they would ``raise Http404``::

    raise refused_for(actor, Client, client_id, section="sessions")
"""

from __future__ import annotations

from typing import SupportsInt

from django.http import Http404

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction


def refused(
    actor: Actor,
    *,
    object_type: str,
    object_ref: object,
    client_id: int | None = None,
    section: str = "",
    detail: str = "",
) -> Http404:
    """Record that ``actor`` was refused ``object_type`` ``object_ref``; return the 404 to raise."""
    trail.record(
        actor=actor,
        action=TrailAction.DENIED,
        client_id=client_id,
        object_type=object_type,
        object_ref=object_ref,
        section=section,
        detail=detail or "outside the policy",
    )
    return Http404()


def refused_for(
    actor: Actor, model, pk: object, *, section: str = "", client_field: str = "client_id"
) -> Http404:
    """Like ``refused``, for row ``pk`` of ``model``, naming the client it belongs to if it exists.

    ``client_field`` is the row's client id (``"pk"`` for the client itself).  A row that does not
    exist is still trailed: asking for ids one by one is what someone walking them does.
    """
    try:
        key = int(pk) if isinstance(pk, SupportsInt | str) else None
    except (TypeError, ValueError):
        key = None
    rows = (
        list(model.objects.filter(pk=key).values_list(client_field, flat=True)[:1])
        if key is not None
        else []
    )
    return refused(
        actor,
        object_type=model._meta.model_name,
        object_ref=pk,
        client_id=rows[0] if rows else None,
        section=section,
        detail="outside the policy" if rows else f"no such {model._meta.verbose_name}",
    )


def refused_client(actor: Actor, client, *, section: str = "") -> Http404:
    """Like ``refused``, for a client already found (the policy refused this part of the record)."""
    return refused(
        actor, object_type="client", object_ref=client.pk, client_id=client.pk, section=section
    )
