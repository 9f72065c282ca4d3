"""Writes about check-ins: sending one, opening it by link, submitting it, and saving drafts.

Each function is atomic and writes its trail entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction
from attune.clients import services as client_services
from attune.clients.models import Client, ClientLink
from attune.measures.contact import invitation_channels, sms_opted_out_only
from attune.measures.delivery import sms_refused_for_opt_out
from attune.measures.goals import GOALS_CHECKIN, checked_goals
from attune.measures.instrument import Instrument
from attune.measures.invitations import deliver_invitation
from attune.measures.models import (
    CheckIn,
    CheckInDraft,
    CheckInSchedule,
    Response,
    StoredInstrument,
)
from attune.measures.parsed_instruments import SESSION_CHECKIN, goals_instrument, instrument_of
from attune.measures.scoring import score
from attune.measures.services.instruments import _refuse_unreviewed, bundled_instrument_stored
from attune.measures.services.signals import _signals_store
from attune.measures.tasks import enqueue_followups

CHECKIN_PURPOSE = "checkin"


# Check-ins ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentCheckIn:
    """A check-in just sent; ``url`` holds the link's token and is shown to staff once."""

    checkin: CheckIn
    url: str
    delivered_by: tuple[str, ...] = field(default=())
    # When texts were left out because the client texted STOP: the time they did.
    sms_opted_out_at: datetime | None = None


def clean_goal_texts(goal_texts: Sequence[str], *, from_plan: bool = False) -> list[str]:
    """Return the client's goals without blanks, at most the number allowed for their source."""
    return checked_goals(goal_texts, from_plan=from_plan)


@transaction.atomic
def checkin_send(
    *,
    actor: Actor,
    client: Client,
    instrument: StoredInstrument | None = None,
    session=None,
    goal_texts: Sequence[str] = (),
    goals_from_plan: bool = False,
    base_url: str,
    schedule: CheckInSchedule | None = None,
    due_on: date | None = None,
) -> SentCheckIn:
    """Issue a check-in link for ``client`` and invite them by the contact they consented to.

    The invitation is sent once the transaction commits, so a rolled-back check-in never
    reaches the client.  It says only that the agency invites feedback, with the link.  A
    check-in issued by a schedule names it and its due date (unique together).  On commit too,
    the check-in's reminder and expiry are queued as background tasks, by id.
    """
    instrument = instrument or bundled_instrument_stored(SESSION_CHECKIN)
    _refuse_unreviewed(instrument)
    goals = clean_goal_texts(goal_texts, from_plan=goals_from_plan)
    issued = client_services.link_issue(
        actor=actor, client=client, purpose=CHECKIN_PURPOSE, days=settings.ATTUNE_CHECKIN_DAYS
    )
    checkin = CheckIn.objects.create(
        client=client,
        instrument=instrument,
        session=session,
        link=issued.link,
        goal_texts=goals or {},
        sent_by=actor.user,
        sent_at=issued.link.created_at,
        expires_at=issued.link.expires_at,
        schedule=schedule,
        due_on=due_on,
    )
    url = base_url.rstrip("/") + f"/c/{issued.token}/"
    channels = invitation_channels(client)
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        client_id=client.pk,
        object_type="checkin",
        object_ref=checkin.pk,
        section="measures",
        detail=f"{instrument.name} sent"
        + (
            f" by schedule {schedule.pk} for {due_on.isoformat()}"
            if schedule is not None and due_on is not None
            else ""
        )
        + (f" with {len(goals)} goal(s)" if goals else "")
        + (f"; invitation by {', '.join(channels)}" if channels else "; no consented contact")
        + ("; no text: opted out of texts" if sms_opted_out_only(client) else ""),
    )
    if channels:
        transaction.on_commit(
            lambda: deliver_invitation(
                client_id=client.pk, url=url, expires_at=checkin.expires_at, checkin_id=checkin.pk
            )
        )
    if sms_opted_out_only(client):
        # The client agreed to texts but texted STOP: recorded, so the therapist sees why.
        sms_refused_for_opt_out(checkin_id=checkin.pk)
    # The reminder and the expiry wait in the task queue with the check-in's id alone; the
    # invitation above never does, because its message holds the token.
    transaction.on_commit(
        lambda: enqueue_followups(
            checkin_id=checkin.pk, sent_at=checkin.sent_at, expires_at=checkin.expires_at
        )
    )
    return SentCheckIn(
        checkin=checkin,
        url=url,
        delivered_by=tuple(channels),
        sms_opted_out_at=client.sms_opted_out_at if sms_opted_out_only(client) else None,
    )


def checkin_for_link(*, actor: Actor, link: ClientLink) -> CheckIn:
    """Return the check-in a link stands for; a bare check-in link gets a session check-in."""
    existing = CheckIn.objects.select_related("instrument").filter(link=link).first()
    if existing is not None:
        existing.link = link  # already loaded: claiming it needs no second read
        return existing
    return _checkin_for_bare_link(actor=actor, link=link)


@transaction.atomic
def _checkin_for_bare_link(*, actor: Actor, link: ClientLink) -> CheckIn:
    instrument = bundled_instrument_stored(SESSION_CHECKIN)
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                client_id=link.client_id,
                instrument=instrument,
                link=link,
                sent_by=link.created_by,
                sent_at=link.created_at,
                expires_at=link.expires_at,
            )
    except IntegrityError:
        return CheckIn.objects.select_related("instrument").get(link=link)
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        client_id=link.client_id,
        object_type="checkin",
        object_ref=checkin.pk,
        section="measures",
        detail="session check-in for a link issued from the client's page",
    )
    return checkin


def checkin_instruments(checkin: CheckIn) -> list[tuple[StoredInstrument, Instrument]]:
    """Return the instruments a check-in asks, in order: its own, then the client's goals."""
    parts = [(checkin.instrument, instrument_of(checkin.instrument))]
    if checkin.goal_texts:
        parts.append(
            (bundled_instrument_stored(GOALS_CHECKIN), goals_instrument(checkin.goal_texts))
        )
    return parts


@transaction.atomic
def checkin_submit(
    *,
    actor: Actor,
    checkin: CheckIn,
    answers: Mapping[str, Mapping[str, Any]],
    drop_draft: bool = True,
) -> list[Response] | None:
    """Store and score a client's answers, once per check-in, and raise any signals.

    ``answers`` maps a stored instrument's key to its answers by linkId; every answer must
    already be checked (``forms.CheckInForm``).  Return None when the link was already used:
    a double click, a retry or a second simultaneous submission stores nothing more.  The
    saved draft of a long check-in goes in the same transaction (``drop_draft``: the page
    could have one).

    The trail entries are written last, together, so the trail's head is locked only for the
    moment before the commit, and the statements are the same in number however many signals
    are raised.
    """
    if not client_services.claim_link(checkin.link):
        return None
    if drop_draft:
        CheckInDraft.objects.filter(checkin_id=checkin.pk).delete()  # never beside a response
    now = timezone.now()
    stored_responses, entries = [], []
    for stored, instrument in checkin_instruments(checkin):
        given = dict(answers.get(stored.key, {}))
        result = score(instrument, given)
        response = Response.objects.create(
            checkin=checkin,
            client_id=checkin.client_id,
            instrument=stored,
            answers=given,
            submitted_at=now,
            **Response.scored_fields(result),
        )
        stored_responses.append(response)
        entries.append(
            trail.Entry(
                actor=actor,
                action=TrailAction.CREATE,
                client_id=checkin.client_id,
                object_type="measure_response",
                object_ref=response.pk,
                section="measures",
                detail=f"{stored.name} by the client through a link; "
                f"{result.items_answered} answered, {result.items_missing} skipped",
            )
        )
        _signals_store(
            actor=actor,
            response=response,
            instrument=instrument,
            item_values=given,
            trail_to=entries,
        )
    trail.record_many(entries)
    return stored_responses


# Drafts of long check-ins ------------------------------------------------------------------


class DraftConflict(Exception):
    """The draft was saved from another window since this page was shown."""


def checkin_draft(checkin: CheckIn) -> CheckInDraft | None:
    """Return the answers the client saved so far on this check-in, if any."""
    return CheckInDraft.objects.filter(checkin=checkin).first()


@transaction.atomic
def checkin_draft_save(
    *, actor: Actor, checkin: CheckIn, data: Mapping[str, Any], page: int, version: int
) -> CheckInDraft:
    """Keep the answers so far and the page to show next; nothing is a response yet.

    ``version`` is the draft version the page was built from (0: no draft yet).  When another
    window saved since, raise ``DraftConflict`` and change nothing.
    """
    if version == 0:
        try:
            with transaction.atomic():
                draft = CheckInDraft.objects.create(
                    checkin=checkin, data=dict(data), page=page, version=1
                )
        except IntegrityError:
            raise DraftConflict from None
    else:
        saved = CheckInDraft.objects.filter(checkin=checkin, version=version).update(
            data=dict(data), page=page, version=version + 1, updated_at=timezone.now()
        )
        if not saved:
            raise DraftConflict
        draft = CheckInDraft(checkin=checkin, data=dict(data), page=page, version=version + 1)
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        client_id=checkin.client_id,
        object_type="checkin_draft",
        object_ref=checkin.pk,
        section="measures",
        detail=f"answers saved so far; next page {page}",
    )
    return draft


@transaction.atomic
def checkin_drafts_purge(*, actor: Actor, now=None) -> int:
    """Delete the drafts of check-ins that can no longer be answered (expired or revoked)."""
    now = now or timezone.now()
    stale = CheckInDraft.objects.filter(
        Q(checkin__expires_at__lte=now) | Q(checkin__link__revoked_at__isnull=False)
    )
    count, _ = CheckInDraft.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    if count:
        trail.record(
            actor=actor,
            action=TrailAction.UPDATE,
            object_type="checkin_draft",
            section="measures",
            detail=f"{count} unsent draft(s) of expired check-ins deleted",
        )
    return count
