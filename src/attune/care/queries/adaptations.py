"""Reads of cultural adaptations; every read is a read of the client's record and is trailed."""

from __future__ import annotations

from django.db.models import Prefetch

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.access.policy import client_record_scope
from attune.access.refusals import refused_client, refused_for
from attune.care.models import AdaptationFeedback, CulturalAdaptation
from attune.clients import queries as client_queries
from attune.clients.models import Client


def _trail_read(actor: Actor, client_id: int, object_ref, detail: str = "") -> None:
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=client_id,
        object_type="cultural_adaptation",
        object_ref=object_ref,
        section="adaptations",
        detail=detail,
    )


def client_adaptations(
    *, actor: StaffActor, client_id: int
) -> tuple[Client, list[CulturalAdaptation]]:
    """Return a client's adaptations, newest first, each with its feedback; else 404."""
    client = client_queries.client_record(actor=actor, client_id=client_id, section="adaptations")
    if not actor.user.has_perm("care.view_adaptations", client):
        raise refused_client(actor, client, section="adaptations")
    adaptations = list(
        client.cultural_adaptations.select_related("created_by")
        .prefetch_related(
            Prefetch(
                "feedback",
                queryset=AdaptationFeedback.objects.select_related("recorded_by").order_by(
                    "-given_at", "-pk"
                ),
            )
        )
        .order_by("stopped_on", "-started_on", "-pk")
    )
    _trail_read(actor, client.pk, client.pk, f"{len(adaptations)} adaptations listed")
    return client, adaptations


def adaptation_for_action(*, actor: StaffActor, adaptation_id: int) -> CulturalAdaptation:
    """Return an adaptation ``actor`` may change, recording the read; else 404."""
    adaptation = (
        CulturalAdaptation.objects.filter(
            pk=adaptation_id, client__in=Client.objects.filter(client_record_scope(actor.user))
        )
        .select_related("client")
        .first()
    )
    if adaptation is None or not actor.user.has_perm("care.change_adaptations", adaptation.client):
        raise refused_for(actor, CulturalAdaptation, adaptation_id, section="adaptations")
    _trail_read(actor, adaptation.client_id, adaptation.pk, "opened")
    return adaptation


def adaptations_for_link(*, actor: Actor, link) -> tuple[Client, list[CulturalAdaptation]]:
    """Return the client of a feedback link and their current adaptations, recording the read."""
    client = client_queries.client_for_link(actor=actor, link=link)
    adaptations = list(
        client.cultural_adaptations.filter(stopped_on__isnull=True).order_by("started_on", "pk")
    )
    _trail_read(actor, client.pk, client.pk, "read by the client through a link")
    return client, adaptations
