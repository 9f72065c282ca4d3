"""Reads of the reflection journal.

Entries are encrypted, so the filters that SQL can answer (author, tag, client, dates, sharing)
run in the database and only the author's own entries (or the ones shared with a supervisor) are
ever decrypted, here in Python, to search their words.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.http import Http404

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import StaffUser, TrailAction
from attune.access.policy import own_reflections_scope, shared_reflections_scope
from attune.care.models import Reflection


def _entries():
    return Reflection.objects.select_related("client", "session", "author").prefetch_related(
        "taggings"
    )


def _period(since: datetime.date | None, until: datetime.date | None) -> Q:
    found = Q()
    if since is not None:
        found &= Q(created_at__date__gte=since)
    if until is not None:
        found &= Q(created_at__date__lte=until)
    return found


def _mentions(reflection: Reflection, words: str) -> bool:
    haystack = " ".join([reflection.text, *(reflection.answers or {}).values()]).casefold()
    return all(word in haystack for word in words.casefold().split())


def _trail_listing(actor: Actor, what: str, count: int, detail: str = "") -> None:
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        object_type="reflections",
        object_ref=actor.user.pk if actor.user else "",
        section="reflections",
        detail=f"{count} {what}{detail}",
    )


def my_reflections(
    *,
    actor: Actor,
    words: str = "",
    tag: str = "",
    client_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[Reflection]:
    """Return ``actor``'s own entries, newest first, that match every filter given."""
    found = _entries().filter(own_reflections_scope(actor.user), _period(since, until))
    if tag:
        found = found.filter(taggings__tag=tag)
    if client_id is not None:
        found = found.filter(client_id=client_id)
    entries = list(found.order_by("-created_at", "-pk"))
    if words.strip():
        entries = [entry for entry in entries if _mentions(entry, words)]
    _trail_listing(actor, "own journal entries listed", len(entries))
    return entries


def reflection_to_change(*, actor: StaffActor, reflection_id: int) -> Reflection:
    """Return one of ``actor``'s own entries for changing it, or raise 404."""
    reflection = _entries().filter(own_reflections_scope(actor.user), pk=reflection_id).first()
    if reflection is None or not actor.user.has_perm("care.change_reflection", reflection):
        raise Http404
    return reflection


def reflection_to_read(*, actor: StaffActor, reflection_id: int) -> Reflection:
    """Return an entry ``actor`` may read (their own, or one shared with them now), or 404."""
    user = actor.user
    scope = own_reflections_scope(user) | Q(pk__in=_shared_ids(user))
    reflection = _entries().filter(scope, pk=reflection_id).first()
    if reflection is None or not user.has_perm("care.view_reflection", reflection):
        raise Http404
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=reflection.client_id,
        object_type="reflection",
        object_ref=reflection.pk,
        section="reflections",
        detail="journal entry read" if reflection.author_id == user.pk else "shared entry read",
    )
    return reflection


def _shared_ids(user):
    return Reflection.objects.filter(shared_reflections_scope(user)).values("pk")


def open_sharings(reflection: Reflection) -> list:
    """Return the supervisors the entry is shared with now, with when each sharing began."""
    return list(
        reflection.sharings.filter(unshared_at__isnull=True)
        .select_related("supervisor")
        .order_by("shared_at")
    )


def sharing_history(reflection: Reflection) -> list:
    """Return every sharing of the entry, newest first (for its author)."""
    return list(reflection.sharings.select_related("supervisor").order_by("-shared_at", "-pk"))


def shared_with_me(*, actor: Actor) -> list[Reflection]:
    """Return every entry shared with ``actor`` by a therapist they supervise now, newest first."""
    entries = list(
        _entries()
        .filter(pk__in=_shared_ids(actor.user))
        .order_by("author__display_name", "author__username", "-created_at", "-pk")
    )
    _trail_listing(actor, "shared entries listed", len(entries))
    return entries


def shared_reflections(
    *,
    actor: Actor,
    supervisor: StaffUser,
    supervisee: StaffUser,
    since: datetime.date,
    until: datetime.date,
) -> list[Reflection]:
    """Return ``supervisee``'s entries shared now with ``supervisor``, created in the period.

    Entries come oldest first with ``.tags``, ``.created_at``, ``.client`` (or None) and their
    answers and note decrypted.  Nothing is returned unless ``supervisor`` supervises
    ``supervisee`` today.  Only the two of them (or the system) may ask.
    """
    if actor.user is not None and actor.user.pk not in (supervisor.pk, supervisee.pk):
        raise Http404
    entries = list(
        _entries()
        .filter(
            shared_reflections_scope(supervisor),
            _period(since, until),
            author=supervisee,
        )
        .order_by("created_at", "pk")
    )
    _trail_listing(
        actor,
        "shared entries listed",
        len(entries),
        f" for the agenda of {supervisor.username} with {supervisee.username}, {since}..{until}",
    )
    return entries
