"""Every write to the reflection journal: write, edit, share, stop sharing, delete.

Trail entries say what happened to which entry and never carry its words or tags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import StaffUser, TrailAction
from attune.care.models import (
    Reflection,
    ReflectionSharing,
    ReflectionTag,
    ReflectionTagging,
    TherapySession,
)
from attune.care.models.reflections import PROMPT_CODES
from attune.clients.models import Client
from attune.relationships.models import SupervisionPair


class ReflectionError(ValueError):
    """The entry cannot be written or changed that way."""


class ReflectionEditConflict(ReflectionError):
    """The entry changed since the editor opened it (another tab or window saved first)."""


def _trail(actor: Actor, reflection: Reflection, action: str, detail: str) -> None:
    trail.record(
        actor=actor,
        action=action,
        client_id=reflection.client_id,
        object_type="reflection",
        object_ref=reflection.pk,
        section="reflections",
        detail=detail,
    )


def _author(actor: Actor) -> StaffUser:
    if actor.user is None or not actor.user.has_perm("care.keep_journal"):
        raise ReflectionError("only a therapist keeps a reflection journal")
    return actor.user


def _checked_links(
    author: StaffUser, client: Client | None, session: TherapySession | None
) -> Client | None:
    """Return the entry's client, refusing a client or session outside the author's caseload."""
    if session is not None:
        if client is not None and session.client_id != client.pk:
            raise ReflectionError("the session is not one of this client's")
        client = session.client
    if client is not None and client.therapist_id != author.pk:
        raise ReflectionError("an entry can be linked only to a client on your own caseload")
    return client


def _clean_content(
    answers: Mapping[str, str], text: str, tags: Iterable[str]
) -> tuple[dict[str, str], str, list[str]]:
    kept = {
        code: answers[code].strip() for code in PROMPT_CODES if (answers.get(code) or "").strip()
    }
    unknown = set(answers) - set(PROMPT_CODES)
    if unknown:
        raise ReflectionError(f"unknown prompts {sorted(unknown)!r}")
    tags = list(dict.fromkeys(tags))
    if any(tag not in ReflectionTag.values for tag in tags):
        raise ReflectionError("unknown tag")
    text = (text or "").strip()
    if not kept and not text:
        raise ReflectionError("an entry needs at least one answer or a note")
    return kept, text, tags


def _set_tags(reflection: Reflection, tags: list[str]) -> None:
    reflection.taggings.exclude(tag__in=tags).delete()
    present = set(reflection.taggings.values_list("tag", flat=True))
    ReflectionTagging.objects.bulk_create(
        [ReflectionTagging(reflection=reflection, tag=tag) for tag in tags if tag not in present]
    )


@transaction.atomic
def reflection_write(
    *,
    actor: Actor,
    answers: Mapping[str, str],
    text: str = "",
    tags: Iterable[str] = (),
    client: Client | None = None,
    session: TherapySession | None = None,
) -> Reflection:
    """Write a new journal entry for ``actor``, optionally about one of their clients."""
    author = _author(actor)
    client = _checked_links(author, client, session)
    kept, text, tags = _clean_content(answers, text, tags)
    reflection = Reflection.objects.create(
        author=author, client=client, session=session, answers=kept, text=text
    )
    _set_tags(reflection, tags)
    _trail(actor, reflection, TrailAction.CREATE, "journal entry written")
    return reflection


@transaction.atomic
def reflection_edit(
    *,
    actor: Actor,
    reflection: Reflection,
    version: int,
    answers: Mapping[str, str],
    text: str = "",
    tags: Iterable[str] = (),
    client: Client | None = None,
    session: TherapySession | None = None,
) -> Reflection:
    """Change an entry as its author, unless it changed since ``version`` was read."""
    author = _author(actor)
    locked = Reflection.objects.select_for_update().filter(pk=reflection.pk).first()
    if locked is None or locked.author_id != author.pk:
        raise ReflectionError("no such entry in your journal")
    if locked.version != version:
        raise ReflectionEditConflict("the entry was changed elsewhere after you opened it")
    locked.client = _checked_links(author, client, session)
    locked.session = session
    locked.answers, locked.text, tags = _clean_content(answers, text, tags)
    locked.version += 1
    locked.save(update_fields=["client", "session", "answers", "text", "version", "updated_at"])
    _set_tags(locked, tags)
    _trail(actor, locked, TrailAction.UPDATE, f"journal entry edited (version {locked.version})")
    return locked


def current_supervisors(author: StaffUser) -> list[StaffUser]:
    """Return the supervisors ``author`` has today, by name."""
    pairs = SupervisionPair.objects.in_force().filter(supervisee=author, supervisor__is_active=True)
    return list(
        StaffUser.objects.filter(pk__in=pairs.values("supervisor_id")).order_by(
            "display_name", "username"
        )
    )


@transaction.atomic
def reflection_share(
    *, actor: Actor, reflection: Reflection, supervisor: StaffUser
) -> ReflectionSharing:
    """Let one of the author's current supervisors read this entry, until the author stops it."""
    author = _author(actor)
    if reflection.author_id != author.pk:
        raise ReflectionError("no such entry in your journal")
    if supervisor.pk not in {person.pk for person in current_supervisors(author)}:
        raise ReflectionError("an entry can be shared only with a supervisor you have now")
    Reflection.objects.select_for_update().filter(pk=reflection.pk).first()
    open_sharing = reflection.sharings.filter(supervisor=supervisor, unshared_at__isnull=True)
    existing = open_sharing.first()
    if existing is not None:
        return existing  # a second click changes nothing
    sharing = ReflectionSharing.objects.create(
        reflection=reflection, supervisor=supervisor, shared_at=timezone.now()
    )
    _trail(actor, reflection, TrailAction.UPDATE, f"shared with supervisor {supervisor.username}")
    return sharing


@transaction.atomic
def reflection_unshare(
    *, actor: Actor, reflection: Reflection, supervisor: StaffUser | None = None
) -> int:
    """Stop sharing the entry (with ``supervisor``, or with everyone); return how many ended."""
    author = _author(actor)
    if reflection.author_id != author.pk:
        raise ReflectionError("no such entry in your journal")
    Reflection.objects.select_for_update().filter(pk=reflection.pk).first()
    open_sharings = reflection.sharings.filter(unshared_at__isnull=True).select_related(
        "supervisor"
    )
    if supervisor is not None:
        open_sharings = open_sharings.filter(supervisor=supervisor)
    ended = list(open_sharings)
    if not ended:
        return 0
    ReflectionSharing.objects.filter(pk__in=[s.pk for s in ended]).update(
        unshared_at=timezone.now()
    )
    names = ", ".join(sorted(sharing.supervisor.username for sharing in ended))
    _trail(actor, reflection, TrailAction.UPDATE, f"no longer shared with {names}")
    return len(ended)


@transaction.atomic
def reflection_delete(*, actor: Actor, reflection: Reflection) -> None:
    """Delete an entry for good, as its author; the trail keeps only that it existed."""
    author = _author(actor)
    locked = Reflection.objects.select_for_update().filter(pk=reflection.pk).first()
    if locked is None or locked.author_id != author.pk:
        raise ReflectionError("no such entry in your journal")
    _trail(actor, locked, TrailAction.UPDATE, "journal entry deleted by its author")
    locked.delete()  # its tags and sharing history go with it
