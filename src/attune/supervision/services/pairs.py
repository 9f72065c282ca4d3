"""Leaders set up supervision pairs and end them; each write is trailed."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import Role, StaffUser, TrailAction
from attune.relationships.models import SupervisionPair


class PairError(ValueError):
    """The pair cannot be made or changed that way; the message says why, for people."""


def _trail(actor: Actor, pair: SupervisionPair, action: str, detail: str) -> None:
    trail.record(
        actor=actor,
        action=action,
        object_type="supervision_pair",
        object_ref=pair.pk,
        section="supervision",
        detail=detail,
    )


@transaction.atomic
def pair_create(
    *, actor: Actor, supervisor: StaffUser, supervisee: StaffUser, starts_on: date
) -> SupervisionPair:
    """Pair ``supervisee`` (a therapist) with ``supervisor`` from ``starts_on``."""
    if supervisor.role != Role.SUPERVISOR or not supervisor.is_active:
        raise PairError("Choose an active supervisor.")
    if supervisee.role != Role.THERAPIST or not supervisee.is_active:
        raise PairError("Choose an active therapist as the supervisee.")
    # Lock the supervisee so two leaders cannot make the same overlapping pair at once.
    StaffUser.objects.select_for_update().filter(pk=supervisee.pk).first()
    overlapping = SupervisionPair.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on),
        supervisor=supervisor,
        supervisee=supervisee,
    )
    if overlapping.exists():
        raise PairError(f"{supervisee} is already supervised by {supervisor} on that date.")
    pair = SupervisionPair.objects.create(
        supervisor=supervisor, supervisee=supervisee, starts_on=starts_on
    )
    _trail(actor, pair, TrailAction.CREATE, f"from {starts_on.isoformat()}")
    return pair


@transaction.atomic
def pair_end(*, actor: Actor, pair: SupervisionPair, ends_on: date) -> SupervisionPair:
    """End ``pair`` on ``ends_on`` (its last day in force)."""
    pair = SupervisionPair.objects.select_for_update().get(pk=pair.pk)
    if pair.ends_on is not None and pair.ends_on <= ends_on:
        raise PairError(f"This pair already ended on {pair.ends_on:%-d %B %Y}.")
    if ends_on < pair.starts_on:
        raise PairError("A pair cannot end before it starts.")
    pair.ends_on = ends_on
    pair.save(update_fields=["ends_on"])
    _trail(actor, pair, TrailAction.UPDATE, f"ends {ends_on.isoformat()}")
    return pair
