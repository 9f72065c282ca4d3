"""Reads of check-ins, responses and signals.  A read of a client's record is trailed."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.http import Http404

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.access.policy import own_clients_scope
from attune.access.refusals import refused_client, refused_for
from attune.clients import queries as client_queries
from attune.clients.models import Client
from attune.measures import signals_rules
from attune.measures.errors import MeasuresError
from attune.measures.fhir_export import collection_bundle, total_concept, total_observation
from attune.measures.models import (
    CheckIn,
    CheckInSchedule,
    Response,
    ReviewState,
    ScheduleState,
    Signal,
    SignalKind,
    SignalState,
    StoredInstrument,
)
from attune.measures.parsed_instruments import (
    SESSION_CHECKIN,
    comment_of,
    goals_instrument,
    instrument_of,
)
from attune.measures.responses import build_questionnaire_response, normalise_answers
from attune.measures.scoring import reliable_change, score

TREND_LENGTH = 8
# Open alerts: still on the therapist's pages.  Every count of alerts (Today, the caseload, the
# signals page) counts these, one per check-in and kind.
OPEN_STATES = (SignalState.OPEN, SignalState.ACKNOWLEDGED)
# Today shows the client's words from check-ins answered within this many days, besides those
# that came with an open alert (docs/rupture-signals.md).
RECENT_COMMENT_DAYS = 7
RECENT_COMMENT_LIMIT = 20


def rule_settings() -> signals_rules.RuleSettings:
    """Return this agency's signal rules (``ATTUNE_SIGNAL_RULES`` over the defaults)."""
    return signals_rules.rule_settings(settings.ATTUNE_SIGNAL_RULES)


@dataclass
class SignalRow:
    """An alert as the therapist's page shows it: what, whose, the trend, an opening."""

    signal: Signal
    client_name: str
    client_pronouns: str
    trend: list[float | None]
    opening: str
    # The repair log opened from this signal, when a page needs it (the therapist's "Today").
    repair_id: int | None = None
    # The client's own words on the check-in that raised it (decrypted; the page trails it).
    comment: str = ""
    # When the client's session check-ins since are back at their usual level: the first
    # such check-in's time (the alert is offered for closing, never closed by itself).
    back_since: object = None


@dataclass
class SignalsPage:
    safety: list[SignalRow] = field(default_factory=list)
    rupture: list[SignalRow] = field(default_factory=list)

    def comment_reads(self, actor: Actor, where: str) -> list[trail.Entry]:
        """Trail entries for the clients whose words the page shows, one per client."""
        shown: dict[int, list[int]] = {}
        for row in [*self.safety, *self.rupture]:
            if row.comment:
                shown.setdefault(row.signal.client_id, []).append(row.signal.response_id)
        return comment_entries(actor, shown, where)


def comment_entries(actor: Actor, shown: dict[int, list[int]], where: str) -> list[trail.Entry]:
    """One trail entry per client whose check-in comments a page shows (``shown``: responses).

    The entry names the latest response; its detail lists every response whose comment was shown
    (as many as fit, then how many more).
    """
    entries = []
    for client_id, response_ids in sorted(shown.items()):
        ids = sorted(set(response_ids))
        detail = f"the client's check-in comments read on {where}: responses "
        listed = ", ".join(str(pk) for pk in ids)
        if len(detail) + len(listed) > 300:
            kept: list[int] = []
            for pk in ids:
                if len(detail) + len(", ".join(map(str, [*kept, pk]))) > 280:
                    break
                kept.append(pk)
            listed = ", ".join(map(str, kept)) + f" and {len(ids) - len(kept)} more"
        entries.append(
            trail.Entry(
                actor=actor,
                action=TrailAction.VIEW,
                client_id=client_id,
                object_type="measure_response",
                object_ref=str(ids[-1]),
                section="checkin_comments",
                detail=detail + listed,
            )
        )
    return entries


def open_signals(*, actor: StaffActor) -> SignalsPage:
    """Return the open and acknowledged signals of ``actor``'s own clients, safety apart.

    Records one trail entry for the listing, like the caseload, and one for each client whose
    check-in comment it shows, in one write.
    """
    page = open_signal_rows(actor.user)
    trail.record_many(
        [
            trail.Entry(
                actor=actor,
                action=TrailAction.VIEW,
                object_type="signals",
                object_ref=actor.user.pk,
                section="signals",
                detail=f"{len(page.safety)} safety and {len(page.rupture)} rupture alerts listed",
            ),
            *page.comment_reads(actor, "the signals page"),
        ]
    )
    return page


def open_signal_rows(user) -> SignalsPage:
    """Return the open and acknowledged alerts of ``user``'s own clients, in two queries.

    Each row carries the client's comment on that check-in (``user`` is their therapist: the
    scope is their own clients) and, for a session check-in alert, whether the check-ins since
    are back at the client's usual level.  Records nothing: the page that shows them records
    its own trail entries (``SignalsPage.comment_reads``).
    """
    signals = list(
        Signal.objects.filter(own_clients_scope(user), state__in=OPEN_STATES)
        .select_related("client", "response__instrument")
        .order_by("-raised_at", "-pk")
    )
    histories = session_histories({signal.client_id for signal in signals})
    rules = rule_settings()
    page = SignalsPage()
    for signal in signals:
        history = histories.get(signal.client_id, [])
        row = SignalRow(
            signal=signal,
            client_name=signal.client.chosen_name,
            client_pronouns=signal.client.pronouns,
            trend=[total for _, _, total in history][-TREND_LENGTH:],
            opening=signals_rules.suggested_opening(signal.rule),
            comment=comment_of(signal.response),
        )
        if signal.kind == SignalKind.SAFETY:
            page.safety.append(row)
        else:
            row.back_since = back_to_usual_since(signal, history, rules)
            page.rupture.append(row)
    return page


def back_to_usual_since(signal: Signal, history, rules):
    """Return when the client's session check-ins after ``signal`` came back to usual, or None.

    ``history`` is the client's session check-ins, oldest first, as (pk, submitted_at, total).
    Only an alert raised by a session check-in is compared (``signals_rules.back_to_usual``).
    """
    position = next(
        (index for index, (pk, _, _) in enumerate(history) if pk == signal.response_id), None
    )
    if position is None:
        return None
    before = [total for _, _, total in history[:position]]
    after = history[position + 1 :]
    start = signals_rules.back_to_usual(before, [total for _, _, total in after], rules)
    return None if start is None else after[start][1]


def open_signal_counts(*, user) -> dict[str, int]:
    """Return how many safety and rupture alerts are open or acknowledged for ``user``'s clients.

    The same alerts Today and the signals page list: one per check-in and kind.
    """
    rows = (
        Signal.objects.filter(own_clients_scope(user), state__in=OPEN_STATES)
        .values("kind")
        .annotate(n=Count("id"))
    )
    return {"safety": 0, "rupture": 0} | {row["kind"]: row["n"] for row in rows}


def session_histories(client_ids: set[int]) -> dict[int, list[tuple[int, object, float | None]]]:
    """Return each client's session check-ins as (pk, submitted_at, total), oldest first."""
    if not client_ids:
        return {}
    rows = (
        Response.objects.filter(client_id__in=client_ids, instrument__name=SESSION_CHECKIN)
        .order_by("client_id", "submitted_at", "pk")
        .values_list("client_id", "pk", "submitted_at", "total")
    )
    histories: dict[int, list[tuple[int, object, float | None]]] = defaultdict(list)
    for client_id, pk, submitted_at, total in rows:
        histories[client_id].append((pk, submitted_at, total))
    return dict(histories)


def session_trends(client_ids: set[int]) -> dict[int, list[float | None]]:
    """Return each client's last session check-in totals, oldest first, in one query."""
    return {
        client_id: [total for _, _, total in history][-TREND_LENGTH:]
        for client_id, history in session_histories(client_ids).items()
    }


@dataclass
class CommentRow:
    """A check-in the client wrote words on, beside its score."""

    response: Response
    comment: str
    client_name: str = ""


def recent_comments(*, user, since, exclude_responses=()) -> list[CommentRow]:
    """Return the comments on check-ins ``user``'s open clients answered since ``since``.

    Newest first, at most ``RECENT_COMMENT_LIMIT``, in one query; ``user`` is their therapist.
    Records nothing: the page records the read (``comment_entries``).
    """
    rows = (
        Response.objects.filter(
            client__therapist=user, client__closed_at__isnull=True, submitted_at__gte=since
        )
        .exclude(pk__in=list(exclude_responses))
        .select_related("client", "instrument")
        .order_by("-submitted_at", "-pk")
    )
    found = []
    for response in rows[: RECENT_COMMENT_LIMIT * 3]:
        comment = comment_of(response)
        if comment:
            found.append(CommentRow(response, comment, response.client.chosen_name))
        if len(found) == RECENT_COMMENT_LIMIT:
            break
    return found


def client_comments(*, client: Client, limit: int = 3) -> list[CommentRow]:
    """Return the client's latest check-in comments with their scores (one query).

    For the client's own therapist only; the caller's read of the record is in the trail.
    """
    found = []
    rows = (
        Response.objects.filter(client=client)
        .select_related("instrument")
        .order_by("-submitted_at", "-pk")
    )
    for response in rows[:50]:
        comment = comment_of(response)
        if comment:
            found.append(CommentRow(response, comment, client.chosen_name))
        if len(found) == limit:
            break
    return found


def signal_for_action(*, actor: StaffActor, signal_id: int) -> Signal:
    """Return a signal ``actor`` may act on, or raise 404."""
    signal = (
        Signal.objects.filter(own_clients_scope(actor.user), pk=signal_id)
        .select_related("client")
        .first()
    )
    if signal is None or not actor.user.has_perm("measures.handle_signal", signal.client):
        raise refused_for(actor, Signal, signal_id, section="signals")
    return signal


@dataclass
class Series:
    """One instrument's totals for a client, oldest first, with its reading of change."""

    name: str
    title: str
    validated: bool | None
    higher_is_better: bool
    low: float
    high: float
    points: list[Response]
    change: object = None


@dataclass
class ClientMeasures:
    client: Client
    series: list[Series]
    signals: list[Signal]
    checkins: list[CheckIn]
    schedules: list[CheckInSchedule] = field(default_factory=list)
    # The client's words by response id: for their own therapist only (never a supervisor's).
    comments: dict[int, str] = field(default_factory=dict)


def client_measures(*, actor: StaffActor, client_id: int) -> ClientMeasures:
    """Return a client's measures, trends, signals and check-ins, recording the read.

    The client's check-in comments come with them for the client's own therapist only; a
    supervisor sees the scores without the words (docs/rupture-signals.md).
    """
    client = client_queries.client_record(actor=actor, client_id=client_id, section="measures")
    if not actor.user.has_perm("measures.view_measures", client):
        raise refused_client(actor, client, section="measures")
    responses = list(
        Response.objects.filter(client=client)
        .select_related("instrument")
        .order_by("submitted_at", "pk")
    )
    by_name: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        by_name[response.instrument.name].append(response)
    series = []
    for name, points in by_name.items():
        stored = points[-1].instrument
        instrument = instrument_of(stored)
        total_range = instrument.total_range() or (0.0, 10.0)
        scoring = instrument.scoring
        change = None
        if len(points) >= 2 and scoring is not None and scoring.reliable_change is not None:
            change = reliable_change(points[0].total, points[-1].total, instrument)
        series.append(
            Series(
                name=name,
                title=stored.title,
                validated=stored.validated,
                higher_is_better=scoring is not None and scoring.direction == "higher_is_better",
                low=total_range[0],
                high=total_range[1],
                points=points,
                change=change,
            )
        )
    signals = list(client.signals.select_related("response__instrument").order_by("-raised_at"))
    checkins = list(
        CheckIn.objects.filter(client=client)
        .select_related("instrument", "link", "session")
        .prefetch_related("deliveries")
        .order_by("-sent_at")[:20]
    )
    schedules = list(
        CheckInSchedule.objects.filter(client=client)
        .exclude(state=ScheduleState.STOPPED)
        .select_related("instrument")
    )
    comments = {}
    if client.therapist_id == actor.user.pk:
        comments = {response.pk: words for response in responses if (words := comment_of(response))}
    for signal in signals:
        signal.comment = comments.get(signal.response_id, "")
    return ClientMeasures(
        client=client,
        series=series,
        signals=signals,
        checkins=checkins,
        schedules=schedules,
        comments=comments,
    )


def schedule_of(*, client: Client, schedule_id: int) -> CheckInSchedule:
    """Return a schedule of ``client`` (already checked for the actor), or raise 404."""
    schedule = CheckInSchedule.objects.filter(client=client, pk=schedule_id).first()
    if schedule is None:
        raise Http404
    return schedule


# FHIR export -------------------------------------------------------------------------------


def client_fhir_bundle(*, actor: Actor, client: Client) -> dict:
    """Return a FHIR R4 collection Bundle of the client's responses and total scores.

    Each response is a QuestionnaireResponse, with the values of its calculated items; each
    scored response also gives an Observation of its total derived from it, coded as
    ``fhir_export.total_concept`` says (LOINC 44261-6 for any recognised PHQ-9, kg/m2 for a
    body-mass index…). The stored answers are scored again: a total the engine cannot compute
    now with certainty, or that differs from the stored one, goes out with a
    ``dataAbsentReason`` and no value. The bundle is validated with fhir.resources and the
    export is recorded in the trail.
    """
    patient_reference = {
        "identifier": {"system": "urn:attune:case-code", "value": client.case_code}
    }
    entries = []
    responses = (
        Response.objects.filter(client=client)
        .select_related("instrument", "checkin")
        .order_by("submitted_at", "pk")
    )
    for response in responses:
        stored = response.instrument
        if stored.name == "goals-checkin":
            instrument = goals_instrument(response.checkin.goal_texts or ["-"])
        else:
            instrument = instrument_of(stored)
        answers = normalise_answers(instrument, response.answers)
        try:
            rescored = score(instrument, response.answers)
        except MeasuresError:
            rescored = None
        uncertain = _uncertain_total(response.total, rescored)
        calculated = dict(rescored.calculated) if rescored is not None else {}
        total_item = instrument.scoring.total_item if instrument.scoring is not None else None
        if uncertain and total_item is not None:
            calculated.pop(total_item, None)
        resource = build_questionnaire_response(instrument, answers, calculated=calculated)
        resource.update(
            {
                "id": f"response-{response.pk}",
                "subject": patient_reference,
                "authored": response.submitted_at.isoformat(),
                "source": patient_reference,
            }
        )
        response_url = f"urn:attune:measure-response:{response.pk}"
        entries.append({"fullUrl": response_url, "resource": resource})
        if response.total is None:
            continue
        observation = total_observation(
            concept=total_concept(instrument, stored.name),
            total=response.total,
            band=response.band,
            observation_id=f"total-{response.pk}",
            subject=patient_reference,
            effective=response.submitted_at.isoformat(),
            derived_from=response_url,
            absent_because=uncertain,
        )
        entries.append(
            {"fullUrl": f"urn:attune:measure-total:{response.pk}", "resource": observation}
        )
    bundle = collection_bundle(entries)
    validate_bundle(bundle)
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=client.pk,
        object_type="client",
        object_ref=client.pk,
        section="fhir_export",
        detail=f"measures bundle with {len(entries)} resources",
    )
    return bundle


def _uncertain_total(stored_total: float | None, rescored) -> str | None:
    """Return why a stored total is not exported as a value, or None when it stands."""
    if stored_total is None:
        return None
    if rescored is None or rescored.total is None:
        return "the engine cannot compute this total with certainty"
    if not math.isclose(rescored.total, stored_total, abs_tol=1e-9):
        return "the stored total differs from the total the engine computes now"
    # The file's calculated total disagreeing with its weights is a fact about the file, not
    # a tie to break (the engine holds such instruments for review).
    if any("differs from the sum of weights" in note for note in rescored.notes):
        return "the file's calculated total disagrees with its weights"
    return None


def validate_bundle(bundle: dict) -> None:
    """Raise ValueError unless ``bundle`` is a valid FHIR R4 Bundle."""
    from fhir.resources.R4B.bundle import Bundle

    try:
        Bundle.model_validate(bundle)
    except Exception as exc:  # pydantic's ValidationError, kept out of callers' imports
        raise ValueError(f"not a valid FHIR Bundle: {exc}") from exc


def instruments_held_for_review() -> list[StoredInstrument]:
    """Return the imported instruments waiting for a leader's review, oldest first."""
    return list(
        StoredInstrument.objects.filter(review_state=ReviewState.NEEDS_REVIEW).order_by(
            "imported_at", "pk"
        )
    )
