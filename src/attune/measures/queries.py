"""Reads of check-ins, responses and signals.  A read of a client's record is trailed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.http import Http404

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction
from attune.access.policy import own_clients_scope
from attune.access.refusals import refused_client, refused_for
from attune.clients import queries as client_queries
from attune.clients.models import Client
from attune.measures import services, signals_rules
from attune.measures.models import (
    CheckIn,
    CheckInSchedule,
    Response,
    ScheduleState,
    Signal,
    SignalKind,
    SignalState,
)
from attune.measures.scoring import reliable_change

TREND_LENGTH = 8
OPEN_STATES = (SignalState.OPEN, SignalState.ACKNOWLEDGED)


@dataclass
class SignalRow:
    """A signal as the therapist's page shows it: what, whose, the trend, an opening."""

    signal: Signal
    client_name: str
    client_pronouns: str
    trend: list[float | None]
    opening: str
    # The repair log opened from this signal, when a page needs it (the therapist's "Today").
    repair_id: int | None = None


@dataclass
class SignalsPage:
    safety: list[SignalRow] = field(default_factory=list)
    rupture: list[SignalRow] = field(default_factory=list)


def open_signals(*, actor: Actor) -> SignalsPage:
    """Return the open and acknowledged signals of ``actor``'s own clients, safety apart.

    Records one trail entry for the listing, like the caseload.
    """
    page = open_signal_rows(actor.user)
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        object_type="signals",
        object_ref=actor.user.pk,
        section="signals",
        detail=f"{len(page.safety)} safety and {len(page.rupture)} rupture signals listed",
    )
    return page


def open_signal_rows(user) -> SignalsPage:
    """Return the open and acknowledged signals of ``user``'s own clients, in two queries.

    Records nothing: the page that shows them records its own trail entry.
    """
    signals = list(
        Signal.objects.filter(own_clients_scope(user), state__in=OPEN_STATES)
        .select_related("client", "response__instrument")
        .defer("response__instrument__source")  # only the title is shown
        .order_by("-raised_at", "-pk")
    )
    trends = session_trends({signal.client_id for signal in signals})
    page = SignalsPage()
    for signal in signals:
        row = SignalRow(
            signal=signal,
            client_name=signal.client.chosen_name,
            client_pronouns=signal.client.pronouns,
            trend=trends.get(signal.client_id, []),
            opening=signals_rules.suggested_opening(signal.rule),
        )
        (page.safety if signal.kind == SignalKind.SAFETY else page.rupture).append(row)
    return page


def open_signal_counts(*, user) -> dict[str, int]:
    """Return how many safety and rupture signals are open for ``user``'s clients (home page)."""
    rows = (
        Signal.objects.filter(own_clients_scope(user), state=SignalState.OPEN)
        .values("kind")
        .annotate(n=Count("id"))
    )
    return {"safety": 0, "rupture": 0} | {row["kind"]: row["n"] for row in rows}


def session_trends(client_ids: set[int]) -> dict[int, list[float | None]]:
    """Return each client's last session check-in totals, oldest first, in one query."""
    if not client_ids:
        return {}
    rows = (
        Response.objects.filter(client_id__in=client_ids, instrument__name=services.SESSION_CHECKIN)
        .order_by("client_id", "submitted_at", "pk")
        .values_list("client_id", "total")
    )
    trends: dict[int, list[float | None]] = defaultdict(list)
    for client_id, total in rows:
        trends[client_id].append(total)
    return {client_id: totals[-TREND_LENGTH:] for client_id, totals in trends.items()}


def signal_for_action(*, actor: Actor, signal_id: int) -> Signal:
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


def client_measures(*, actor: Actor, client_id: int) -> ClientMeasures:
    """Return a client's measures, trends, signals and check-ins, recording the read."""
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
        instrument = services.instrument_of(stored)
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
        .order_by("-sent_at")[:20]
    )
    schedules = list(
        CheckInSchedule.objects.filter(client=client)
        .exclude(state=ScheduleState.STOPPED)
        .select_related("instrument")
    )
    return ClientMeasures(
        client=client, series=series, signals=signals, checkins=checkins, schedules=schedules
    )


def schedule_of(*, client: Client, schedule_id: int) -> CheckInSchedule:
    """Return a schedule of ``client`` (already checked for the actor), or raise 404."""
    schedule = CheckInSchedule.objects.filter(client=client, pk=schedule_id).first()
    if schedule is None:
        raise Http404
    return schedule


# FHIR export -------------------------------------------------------------------------------

LOINC = "http://loinc.org"
# LOINC codes of the total scores Attune knows; other instruments' totals carry text only.
TOTAL_SCORE_CODES = {
    "phq9": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
    "gad7": ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
}


def client_fhir_bundle(*, actor: Actor, client: Client) -> dict:
    """Return a FHIR R4 collection Bundle of the client's responses and total scores.

    Each response is a QuestionnaireResponse; each scored response also gives an Observation
    of its total (LOINC 44261-6 for the PHQ-9) derived from it.  The bundle is validated with
    fhir.resources and the export is recorded in the trail.
    """
    from attune.measures.responses import build_questionnaire_response, normalise_answers

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
            instrument = services.goals_instrument(response.checkin.goal_texts or ["-"])
        else:
            instrument = services.instrument_of(stored)
        answers = normalise_answers(instrument, response.answers)
        resource = build_questionnaire_response(instrument, answers)
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
        code = TOTAL_SCORE_CODES.get(stored.name)
        concept = {"text": f"{stored.title}: total score"}
        if code:
            concept["coding"] = [{"system": LOINC, "code": code[0], "display": code[1]}]
        observation = {
            "resourceType": "Observation",
            "id": f"total-{response.pk}",
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "survey",
                        }
                    ]
                }
            ],
            "code": concept,
            "subject": patient_reference,
            "effectiveDateTime": response.submitted_at.isoformat(),
            "valueQuantity": {
                "value": response.total,
                "unit": "{score}",
                "system": "http://unitsofmeasure.org",
                "code": "{score}",
            },
            "derivedFrom": [{"reference": response_url}],
        }
        if response.band:
            observation["interpretation"] = [{"text": response.band}]
        entries.append(
            {"fullUrl": f"urn:attune:measure-total:{response.pk}", "resource": observation}
        )
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
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


def validate_bundle(bundle: dict) -> None:
    """Raise ValueError unless ``bundle`` is a valid FHIR R4 Bundle."""
    from fhir.resources.R4B.bundle import Bundle

    try:
        Bundle.model_validate(bundle)
    except Exception as exc:  # pydantic's ValidationError, kept out of callers' imports
        raise ValueError(f"not a valid FHIR Bundle: {exc}") from exc
