"""Every write to cultural adaptations and the client's feedback on them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import transaction

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.care.models import (
    AdaptationArea,
    AdaptationFeedback,
    AdaptationFit,
    CulturalAdaptation,
)
from attune.clients.models import Client, ClientLink
from attune.clients.services import IssuedLink, claim_link, link_issue

ADAPTATION_FEEDBACK = "adaptation_feedback"


class AdaptationVersionConflict(Exception):
    """The adaptation was changed since the writer opened it; ``current`` is how it is now."""

    def __init__(self, current: CulturalAdaptation) -> None:
        super().__init__("the adaptation changed since it was opened")
        self.current = current


def _trail(actor: Actor, adaptation: CulturalAdaptation, action: str, detail: str) -> None:
    trail.record(
        actor=actor,
        action=action,
        client_id=adaptation.client_id,
        object_type="cultural_adaptation",
        object_ref=adaptation.pk,
        section="adaptations",
        detail=detail,
    )


def _check(area: str, what: str, started_on: date, stopped_on: date | None) -> None:
    if area not in AdaptationArea.values:
        raise ValueError(f"unknown adaptation area {area!r}")
    if not what.strip():
        raise ValueError("say what was adapted")
    if stopped_on is not None and stopped_on < started_on:
        raise ValueError("an adaptation stops after it starts")


@transaction.atomic
def adaptation_create(
    *,
    actor: StaffActor,
    client: Client,
    area: str,
    what: str,
    why: str = "",
    started_on: date,
    stopped_on: date | None = None,
) -> CulturalAdaptation:
    """Record a way the therapy is adapted for ``client``."""
    _check(area, what, started_on, stopped_on)
    adaptation = CulturalAdaptation.objects.create(
        client=client,
        area=area,
        what=what.strip(),
        why=why.strip(),
        started_on=started_on,
        stopped_on=stopped_on,
        created_by=actor.user,
    )
    _trail(actor, adaptation, TrailAction.CREATE, f"{area} adaptation")
    return adaptation


@transaction.atomic
def adaptation_update(
    *,
    actor: Actor,
    adaptation: CulturalAdaptation,
    based_on: int,
    area: str,
    what: str,
    why: str,
    started_on: date,
    stopped_on: date | None,
) -> CulturalAdaptation:
    """Change an adaptation opened at ``row_version`` ``based_on``; refuse if changed since."""
    _check(area, what, started_on, stopped_on)
    current = CulturalAdaptation.objects.select_for_update().get(pk=adaptation.pk)
    if current.row_version != based_on:
        raise AdaptationVersionConflict(current)
    current.area, current.what, current.why = area, what.strip(), why.strip()
    current.started_on, current.stopped_on = started_on, stopped_on
    current.row_version += 1
    current.save()
    _trail(
        actor,
        current,
        TrailAction.UPDATE,
        f"version {current.row_version}" + (f"; stopped {stopped_on}" if stopped_on else ""),
    )
    return current


@transaction.atomic
def adaptation_feedback_record(
    *, actor: Actor, adaptation: CulturalAdaptation, fit: str, comment: str
) -> AdaptationFeedback:
    """Record what the client said about an adaptation, as the therapist heard it."""
    if fit and fit not in AdaptationFit.values:
        raise ValueError(f"unknown fit {fit!r}")
    if not fit and not comment.strip():
        raise ValueError("record how it fits or what the client said")
    feedback = AdaptationFeedback.objects.create(
        adaptation=adaptation, fit=fit, comment=comment.strip(), recorded_by=actor.user
    )
    _trail(actor, adaptation, TrailAction.CREATE, "feedback recorded by the therapist")
    return feedback


@transaction.atomic
def adaptation_feedback_link_issue(*, actor: Actor, client: Client) -> IssuedLink:
    """Issue the client a private link to say how their current adaptations fit them."""
    return link_issue(actor=actor, client=client, purpose=ADAPTATION_FEEDBACK)


@transaction.atomic
def adaptation_feedback_submit(
    *, actor: Actor, link: ClientLink, answers: Mapping[int, tuple[str, str]]
) -> list[AdaptationFeedback] | None:
    """Store the client's feedback on their adaptations, all or nothing, once per link.

    ``answers`` maps an adaptation's id to ``(fit, comment)``; adaptations left blank are
    skipped.  Return None when the link was already used: the first answers stand.
    """
    adaptations = {
        adaptation.pk: adaptation
        for adaptation in CulturalAdaptation.objects.filter(
            client_id=link.client_id, pk__in=list(answers)
        )
    }
    if set(answers) - set(adaptations):
        raise ValueError("feedback on an adaptation that is not this client's")
    rows = []
    for pk, (fit, comment) in answers.items():
        if fit and fit not in AdaptationFit.values:
            raise ValueError(f"unknown fit {fit!r}")
        if fit or comment.strip():
            rows.append(
                AdaptationFeedback(
                    adaptation=adaptations[pk], fit=fit, comment=comment.strip(), via_link=link
                )
            )
    if not claim_link(link):
        return None
    for row in rows:
        row.save()
        _trail(actor, row.adaptation, TrailAction.CREATE, "feedback by the client through a link")
    return rows
