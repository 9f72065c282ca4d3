"""Writes about signals: raising them from a response, acknowledging and closing them.

Each function is atomic and writes its trail entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction
from attune.measures import signals_rules
from attune.measures.expected_signals import not_on_track
from attune.measures.instrument import Instrument
from attune.measures.models import (
    Response,
    Signal,
    SignalKind,
    SignalState,
)
from attune.measures.parsed_instruments import item_labels
from attune.measures.queries import rule_settings

# Signals -----------------------------------------------------------------------------------


def signals_raise(
    *, actor: Actor, response: Response, instrument: Instrument, item_values: Mapping[str, Any]
) -> list[Signal]:
    """Evaluate the rules on a newly stored response and store each finding as a signal."""
    entries: list[trail.Entry] = []
    raised = _signals_store(
        actor=actor,
        response=response,
        instrument=instrument,
        item_values=item_values,
        trail_to=entries,
    )
    trail.record_many(entries)
    return raised


def _signals_store(
    *,
    actor: Actor,
    response: Response,
    instrument: Instrument,
    item_values: Mapping[str, Any],
    trail_to: list[trail.Entry],
) -> list[Signal]:
    """Store the signals a response raises in one statement; add their trail entries."""
    previous = list(
        Response.objects.filter(
            client_id=response.client_id, instrument__name=response.instrument.name
        )
        .exclude(pk=response.pk)
        .order_by("submitted_at", "pk")
        .values_list("total", flat=True)
    )
    scoring = instrument.scoring
    threshold = None
    if scoring is not None and scoring.reliable_change is not None:
        threshold = scoring.reliable_change.threshold_points()
    facts = signals_rules.ResponseFacts(
        instrument=response.instrument.name,
        total=response.total,
        item_values=item_values,
        safety_items=tuple(response.safety_items),
        reliable_change_threshold=threshold,
        lower_is_better=scoring is None or scoring.direction == "lower_is_better",
        item_labels=item_labels(instrument),
        instrument_title=response.instrument.title,
    )
    findings = signals_rules.evaluate(facts, previous, rule_settings())
    findings += not_on_track(facts, previous, rule_settings())  # expected_signals
    raised = [
        Signal(
            client_id=response.client_id,
            response=response,
            kind=alert.kind,
            rule=alert.rule,
            summary=alert.summary[:1000],
            reasons=[{"rule": reason.rule, "summary": reason.summary} for reason in alert.reasons],
            facts={reason.rule: dict(reason.facts) for reason in alert.reasons},
            raised_at=response.submitted_at,
        )
        for alert in signals_rules.alerts(findings)
    ]
    if raised:
        Signal.objects.bulk_create(raised)
    for signal in raised:
        trail_to.append(
            trail.Entry(
                actor=actor,
                action=TrailAction.CREATE,
                client_id=response.client_id,
                object_type="signal",
                object_ref=signal.pk,
                section="signals",
                detail=f"{signal.kind}: " + ", ".join(r["rule"] for r in signal.reasons),
                flagged=signal.kind == SignalKind.SAFETY,
            )
        )
    return raised


class SignalStateError(ValueError):
    """A signal cannot move that way (for example, closing one that is already closed)."""


@transaction.atomic
def signal_acknowledge(*, actor: Actor, signal: Signal) -> Signal:
    """Mark an open signal as seen by the therapist."""
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.state != SignalState.OPEN:
        raise SignalStateError("only an open signal can be acknowledged")
    signal.state = SignalState.ACKNOWLEDGED
    signal.acknowledged_at = timezone.now()
    signal.acknowledged_by = actor.user
    signal.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
    _trail_signal(actor, signal, "acknowledged")
    return signal


@transaction.atomic
def signal_close(*, actor: Actor, signal: Signal, outcome: str, reason: str = "") -> Signal:
    """Resolve or dismiss a signal; a dismissal needs a reason."""
    if outcome not in (SignalState.RESOLVED, SignalState.DISMISSED):
        raise SignalStateError("a signal is closed as resolved or dismissed")
    reason = reason.strip()
    if outcome == SignalState.DISMISSED and not reason:
        raise SignalStateError("say why the signal is dismissed")
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.state not in (SignalState.OPEN, SignalState.ACKNOWLEDGED):
        raise SignalStateError("this signal is already closed")
    now = timezone.now()
    if signal.acknowledged_at is None:
        signal.acknowledged_at, signal.acknowledged_by = now, actor.user
    signal.state = outcome
    signal.closed_at, signal.closed_by, signal.close_reason = now, actor.user, reason
    signal.save(
        update_fields=[
            "state",
            "acknowledged_at",
            "acknowledged_by",
            "closed_at",
            "closed_by",
            "close_reason",
        ]
    )
    _trail_signal(actor, signal, str(outcome))
    return signal


def _trail_signal(actor: Actor, signal: Signal, what: str) -> None:
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        client_id=signal.client_id,
        object_type="signal",
        object_ref=signal.pk,
        section="signals",
        detail=f"{signal.kind} signal {what}",
    )
