"""Every write to a client record or link: one function each, atomic, with its trail entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeGuard

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from attune.access import anonymous, trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import AccessEvent, BreakGlassGrant, TrailAction
from attune.clients import link_purposes
from attune.clients.models import (
    Client,
    ClientLink,
    CulturalFormulation,
    EndReason,
    IdentityCategory,
    LinkPurpose,
    Question,
    SelfIdentification,
)
from attune.clients.tokens import new_case_code, new_token, token_hash

CLIENT_FIELDS = (
    "chosen_name",
    "pronouns",
    "legal_name",
    "email",
    "phone",
    "time_zone",
    "contact_consent",
    "preferred_language",
    "interpreter_needed",
)


@transaction.atomic
def client_create(*, actor: Actor, therapist, **fields) -> Client:
    """Create a client on ``therapist``'s caseload."""
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                client = Client.objects.create(
                    case_code=new_case_code(), therapist=therapist, **fields
                )
            break
        except IntegrityError:
            continue  # a case-code collision; draw another
    else:
        raise RuntimeError("could not draw a unique case code")
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        client_id=client.pk,
        object_type="client",
        object_ref=client.pk,
        section="record",
    )
    return client


@transaction.atomic
def client_update(*, actor: Actor, client: Client, **fields) -> list[str]:
    """Change the given fields of ``client``; return the names of the fields that changed."""
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(client, name) != value]
    for name in changed:
        setattr(client, name, fields[name])
    if changed:
        client.save(update_fields=[*changed, "updated_at"])
        trail.record(
            actor=actor,
            action=TrailAction.UPDATE,
            client_id=client.pk,
            object_type="client",
            object_ref=client.pk,
            section="record",
            detail="changed: " + ", ".join(sorted(changed)),
        )
    return changed


@dataclass(frozen=True)
class IssuedLink:
    """A link just issued; ``token`` exists only here and in the URL handed to the client."""

    link: ClientLink
    token: str


@transaction.atomic
def link_issue(
    *, actor: Actor, client: Client, purpose: str = LinkPurpose.PROFILE, days: int | None = None
) -> IssuedLink:
    """Issue a private link for ``client`` and ``purpose``; only its hash is stored."""
    page = link_purposes.page_for(purpose)
    if page is None:
        raise ValueError(f"no page is registered for link purpose {purpose!r}")
    token = new_token()
    now = timezone.now()
    link = ClientLink.objects.create(
        client=client,
        purpose=purpose,
        token_hash=token_hash(token),
        created_by=actor.user,
        expires_at=now + timedelta(days=days or settings.ATTUNE_LINK_DAYS),
        single_use=page.single_use,
    )
    trail.record(
        actor=actor,
        action=TrailAction.LINK_ISSUED,
        client_id=client.pk,
        object_type="client_link",
        object_ref=link.pk,
        section=purpose,
    )
    return IssuedLink(link=link, token=token)


def claim_link(link: ClientLink) -> bool:
    """Mark a single-use link used, atomically; return False if it was already used or is dead.

    The conditional UPDATE is what makes a double click or two concurrent submissions store
    exactly once: only one of them can change ``used_at`` from empty.
    """
    now = timezone.now()
    return bool(
        ClientLink.objects.filter(
            pk=link.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
    )


class LinkRefused(Exception):
    """A link that is unknown, expired, used, revoked or opened too often from one address."""

    def __init__(self, *, rate_limited: bool = False) -> None:
        super().__init__("link refused")
        self.rate_limited = rate_limited


def usable_link(link: ClientLink | None) -> TypeGuard[ClientLink]:
    """Return whether ``link`` may still be opened."""
    now = timezone.now()
    return (
        link is not None
        and link.expires_at > now
        and link.revoked_at is None
        and not (link.single_use and link.used_at is not None)
    )


def link_open(*, actor: Actor, token: str) -> ClientLink:
    """Return the link behind ``token``, recording the attempt; raise ``LinkRefused`` if unusable.

    Every refusal looks the same to the visitor, whatever the reason.  The refusal is raised
    only after its trail entry is committed.
    """
    with transaction.atomic():
        since = timezone.now() - timedelta(minutes=1)
        opened = AccessEvent.objects.filter(
            ip=trail.normalised_ip(actor.ip), action=TrailAction.LINK_OPENED, at__gte=since
        ).count()
        # Rejections are counted, not trailed one by one (attune.access.anonymous).
        rejected = anonymous.recent_failures(ip=actor.ip, action=TrailAction.LINK_REJECTED)
        if actor.ip and opened + rejected >= settings.ATTUNE_LINK_OPENS_PER_MINUTE:
            raise LinkRefused(rate_limited=True)
        link = (
            ClientLink.objects.select_related("client").filter(token_hash=token_hash(token)).first()
        )
        if usable_link(link):
            trail.record(
                actor=Actor(link_id=link.pk, ip=actor.ip, request_id=actor.request_id),
                action=TrailAction.LINK_OPENED,
                client_id=link.client_id,
                object_type="client_link",
                object_ref=link.pk,
                section=link.purpose,
            )
            return link
        anonymous.note_failure(
            actor=actor,
            action=TrailAction.LINK_REJECTED,
            client_id=link.client_id if link else None,
            object_type="client_link",
            object_ref=link.pk if link else "",
            detail="unknown token" if link is None else "expired, used or revoked",
        )
    raise LinkRefused


@transaction.atomic
def profile_submit(
    *, actor: Actor, link: ClientLink, chosen_name: str, pronouns: str, preferred_language: str
) -> bool:
    """Store a client's own update of how they are named, once per link.

    Return False when the link was already used: a double click or a retry changes nothing.
    """
    if not claim_link(link):
        return False
    client = Client.objects.select_for_update().get(pk=link.client_id)
    fields = {
        "chosen_name": chosen_name,
        "pronouns": pronouns,
        "preferred_language": preferred_language,
    }
    changed = [name for name, value in fields.items() if getattr(client, name) != value]
    for name, value in fields.items():
        setattr(client, name, value)
    client.save(update_fields=[*fields, "updated_at"])
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        client_id=client.pk,
        object_type="client",
        object_ref=client.pk,
        section="profile",
        detail="by the client through a link; changed: " + (", ".join(changed) or "nothing"),
    )
    return True


@transaction.atomic
def client_close(*, actor: Actor, client: Client, reason: str) -> None:
    """End ``client``'s episode of care for ``reason`` (an EndReason value)."""
    if reason not in EndReason.values:
        raise ValueError(f"unknown end reason {reason!r}")
    client.closed_at, client.end_reason = timezone.now(), reason
    client.save(update_fields=["closed_at", "end_reason", "updated_at"])
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        client_id=client.pk,
        object_type="client",
        object_ref=client.pk,
        section="record",
        detail=f"episode closed: {reason}",
    )


@transaction.atomic
def client_page_language_set(*, actor: Actor, client: Client, language: str) -> None:
    """Remember the language a client chose for Attune's pages."""
    if language not in dict(settings.CLIENT_LANGUAGES):
        raise ValueError(f"unsupported page language {language!r}")
    if client.page_language != language:
        client.page_language = language
        client.save(update_fields=["page_language", "updated_at"])
        trail.record(
            actor=actor,
            action=TrailAction.UPDATE,
            client_id=client.pk,
            object_type="client",
            object_ref=client.pk,
            section="page_language",
            detail=f"page language {language}",
        )


@transaction.atomic
def break_glass_open(*, actor: StaffActor, client: Client, reason: str) -> BreakGlassGrant:
    """Grant ``actor`` time-limited emergency access to ``client``; flagged in the trail."""
    grant = BreakGlassGrant.objects.create(
        staff=actor.user,
        client=client,
        reason=reason,
        expires_at=timezone.now() + timedelta(minutes=settings.ATTUNE_BREAK_GLASS_MINUTES),
    )
    trail.record(
        actor=actor,
        action=TrailAction.BREAK_GLASS,
        client_id=client.pk,
        object_type="client",
        object_ref=client.pk,
        section="record",
        detail=reason,
        flagged=True,
    )
    return grant


CATEGORY_QUESTIONS = {
    # question -> where its category codes sit in the answers
    Question.GENDER: ("categories",),
    Question.ORIENTATION: ("categories",),
    Question.RACE_ETHNICITY: ("categories",),
    Question.ACCESSIBILITY: ("needs",),
}


def category_rows(answers: dict) -> list[tuple[str, str]]:
    """Return the (question, code) pairs of the reporting layer in a set of answers."""
    rows: list[tuple[str, str]] = []
    for question, (key,) in CATEGORY_QUESTIONS.items():
        for code in answers.get(question, {}).get(key, []):
            rows.append((question, code))
    single = {
        Question.SEX_AT_BIRTH: answers.get(Question.SEX_AT_BIRTH, {}).get("category"),
        Question.INTERPRETER: answers.get(Question.INTERPRETER, {}).get("need"),
        Question.FEE_TIER: answers.get(Question.FEE_TIER),
    }
    rows += [(question, code) for question, code in single.items() if code]
    rows += [(Question.LANGUAGES, tag) for tag in answers.get(Question.LANGUAGES, [])]
    return rows


def _new_version(model, *, section: str, actor: Actor, client: Client, via_link, **fields):
    """Create the next version of ``model`` for ``client`` with its author, and trail it.

    The client row is locked first so two saves at once get versions n+1 and n+2, never two n+1.
    """
    client = Client.objects.select_for_update().get(pk=client.pk)
    latest = model.objects.filter(client=client).aggregate(n=Max("version"))["n"] or 0
    version = model.objects.create(
        client=client,
        version=latest + 1,
        written_by=None if via_link else actor.user,
        written_via_link=via_link,
        **fields,
    )
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        client_id=client.pk,
        object_type=section,
        object_ref=version.pk,
        section=section,
        detail=f"version {version.version} by {'the client' if via_link else 'staff'}",
    )
    return client, version


@transaction.atomic
def self_identification_record(
    *, actor: Actor, client: Client, answers: dict, declined: Sequence[str], via_link=None
) -> SelfIdentification | None:
    """Store a new version of how ``client`` describes themselves, with its author.

    ``answers`` and ``declined`` come from ``SelfIdentificationForm``.  The client's display
    fields (chosen name, pronouns, languages, interpreter, accessibility) follow the new version.
    Return None when ``via_link`` was already used: a retry stores nothing twice.
    """
    if via_link is not None and not claim_link(via_link):
        return None
    client, identity = _new_version(
        SelfIdentification,
        section="self_identification",
        actor=actor,
        client=client,
        via_link=via_link,
        answers=answers,
        declined=sorted(declined),
    )
    IdentityCategory.objects.bulk_create(
        [
            IdentityCategory(self_identification=identity, question=question, code=code)
            for question, code in dict.fromkeys(category_rows(answers))
        ]
    )
    changed = ["latest_identity", "access_needs"]
    client.latest_identity = identity
    client.access_needs = answers.get(Question.ACCESSIBILITY, {}).get("needs", [])
    for field, value in (
        ("chosen_name", answers.get(Question.CHOSEN_NAME)),
        ("pronouns", answers.get(Question.PRONOUNS)),
        ("legal_name", answers.get(Question.LEGAL_NAME)),
        ("preferred_language", (answers.get(Question.LANGUAGES) or [None])[0]),
        ("interpreter_needed", answers.get(Question.INTERPRETER, {}).get("need")),
    ):
        if value is not None and getattr(client, field) != value:
            setattr(client, field, value)
            changed.append(field)
    client.save(update_fields=[*changed, "updated_at"])
    return identity


@transaction.atomic
def cultural_formulation_record(
    *, actor: Actor, client: Client, answers: dict, via_link=None
) -> CulturalFormulation | None:
    """Store a new version of the client's cultural formulation; never overwrite an old one.

    Return None when ``via_link`` was already used.
    """
    if via_link is not None and not claim_link(via_link):
        return None
    _client, formulation = _new_version(
        CulturalFormulation,
        section="cultural_formulation",
        actor=actor,
        client=client,
        via_link=via_link,
        answers=answers,
    )
    return formulation
