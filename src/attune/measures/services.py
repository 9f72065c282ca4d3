"""Every write of the measures app: instruments, check-ins, responses and signals.

Each function is atomic and writes its trail entry in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction
from attune.clients import services as client_services
from attune.clients.models import Client, ClientLink
from attune.measures import signals_rules
from attune.measures.bundled import load_bundled_instrument
from attune.measures.errors import InstrumentError, MeasuresError
from attune.measures.expected_signals import not_on_track
from attune.measures.fhir_export import questionnaire_from_instrument
from attune.measures.fhir_import import load_questionnaire_json
from attune.measures.goals import GOALS_CHECKIN, checked_goals, stored_goals_checkin
from attune.measures.instrument import Instrument, ItemType
from attune.measures.loading import load_questionnaire_file
from attune.measures.models import (
    MAX_INTERVAL_WEEKS,
    CheckIn,
    CheckInDraft,
    CheckInSchedule,
    Response,
    ReviewState,
    ScheduleState,
    Signal,
    SignalKind,
    SignalState,
    SourceFormat,
    StoredInstrument,
    TerminologyValueSet,
)
from attune.measures.safety import mark_safety_items
from attune.measures.scoring import score
from attune.measures.terminology import shipped_value_set, value_sets_in_bundle
from attune.measures.yaml_format import load_instrument_yaml

CHECKIN_PURPOSE = "checkin"
SESSION_CHECKIN = "session-checkin"


# Instruments -------------------------------------------------------------------------------


@transaction.atomic
def instrument_store(
    *,
    actor: Actor,
    instrument: Instrument,
    source_format: str,
    source: str,
    bundled=False,
    terminology: Mapping[str, Any] | None = None,
) -> tuple[StoredInstrument, bool]:
    """Store ``instrument`` under its ``url|version``; return it and whether it is new.

    Storing the same document again changes nothing.  A different document under a key that
    is already stored is refused: change the version instead, so stored responses keep
    scoring the way they were scored.  An instrument with review findings is stored "needs
    review" (``instrument_accept``), and is not sent until then.
    """
    existing = StoredInstrument.objects.filter(key=instrument.key).first()
    if existing is not None:
        if existing.source_format != source_format or existing.source != source:
            raise InstrumentError(
                f"{instrument.key} is already stored with different content; "
                "give the new one another version"
            )
        return existing, False
    stored = StoredInstrument.objects.create(
        key=instrument.key,
        url=instrument.url,
        version=instrument.version or "",
        name=instrument.name,
        title=instrument.title.default[:255],
        languages=list(instrument.languages()),
        validated=instrument.validated,
        bundled=bundled,
        source_format=source_format,
        source=source,
        terminology=dict(terminology or {}),
        review_state=ReviewState.NEEDS_REVIEW if instrument.review_findings else ReviewState.READY,
        review_findings=list(instrument.review_findings),
    )
    findings = len(instrument.review_findings)
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        object_type="instrument",
        object_ref=stored.pk,
        section="instruments",
        detail=f"stored {instrument.key}"
        + (f"; needs review ({findings} finding(s))" if findings else ""),
    )
    return stored, True


def agency_terminology() -> dict[str, Any]:
    """Return the agency's loaded ValueSets by ``url`` and ``url|version``."""
    found: dict[str, Any] = {}
    for value_set in TerminologyValueSet.objects.order_by("url", "loaded_at"):
        found[value_set.url] = value_set.resource  # the latest loaded wins for a bare url
        if value_set.version:
            found[f"{value_set.url}|{value_set.version}"] = value_set.resource
    return found


def _cited_value_sets(source: Mapping[str, Any], available: Mapping[str, Any]) -> dict[str, Any]:
    """Return the value sets a Questionnaire cites by url and does not contain, as resolved."""
    contained = {
        resource.get("url")
        for resource in source.get("contained") or []
        if isinstance(resource, Mapping)
    }
    cited: dict[str, Any] = {}
    stack = list(source.get("item") or [])
    while stack:
        item = stack.pop()
        if not isinstance(item, Mapping):
            continue
        stack.extend(item.get("item") or [])
        reference = item.get("answerValueSet")
        if not isinstance(reference, str) or reference.startswith("#"):
            continue
        if reference in contained or reference.partition("|")[0] in contained:
            continue
        found = available.get(reference) or available.get(reference.partition("|")[0])
        found = found or shipped_value_set(reference.partition("|")[0])
        if found is not None:
            cited[reference] = found
    return cited


def instrument_import_file(
    *, actor: Actor, path: str | Path, safety_items: Sequence[str] = ()
) -> tuple[StoredInstrument, bool]:
    """Read, check and store an instrument file; raise ``InstrumentError`` and store nothing.

    Value sets the file cites by url come from the agency's loaded terminology (then
    Attune's LOINC answer lists) and are kept with the stored instrument. ``safety_items`` are
    linkIds a leader marks as safety items at import: the mark is written into the stored
    Questionnaire (``safety.SAFETY_ITEM_EXTENSION``) and the marking is trailed.
    """
    try:
        Path(path).read_bytes()  # an unreadable file is refused before the database is read
    except OSError as error:
        raise InstrumentError(f"cannot read {path}: {error.strerror}") from None
    available = agency_terminology()
    instrument = load_questionnaire_file(path, terminology=available)
    text = Path(path).read_text(encoding="utf-8-sig")
    source_format = (
        SourceFormat.FHIR if instrument.source_questionnaire is not None else SourceFormat.YAML
    )
    marked = [link_id for link_id in safety_items if link_id.strip()]
    if marked:
        if source_format != SourceFormat.FHIR:
            raise InstrumentError(
                "mark a safety item of an Attune YAML file in the file itself (safety: true)"
            )
        text = mark_safety_items(text, marked)
        instrument = load_questionnaire_json(text, terminology=available)
    cited = (
        _cited_value_sets(instrument.source_questionnaire, available)
        if instrument.source_questionnaire is not None
        else {}
    )
    with transaction.atomic():
        stored, created = instrument_store(
            actor=actor,
            instrument=instrument,
            source_format=source_format,
            source=text,
            terminology=cited,
        )
        if marked and created:
            trail.record(
                actor=actor,
                action=TrailAction.CREATE,
                object_type="instrument",
                object_ref=stored.pk,
                section="instruments",
                detail=f"safety items marked at import: {', '.join(marked)}",
            )
    return stored, created


@transaction.atomic
def instrument_accept(*, actor: Actor, stored: StoredInstrument, reason: str) -> StoredInstrument:
    """Accept an instrument held "needs review", with the leader's reason, in the trail.

    Accepting says the findings were read; scores on which the file's total and its weights
    still disagree stay "could not score".
    """
    reason = " ".join(reason.split())
    if not reason:
        raise InstrumentError("say why the instrument is accepted")
    if actor.user is None or not getattr(actor.user, "is_leader", False):
        raise InstrumentError("only a leader can accept an instrument held for review")
    locked = StoredInstrument.objects.select_for_update().get(pk=stored.pk)
    if locked.review_state != ReviewState.NEEDS_REVIEW:
        raise InstrumentError(f"{locked.key} is not waiting for review")
    locked.review_state = ReviewState.ACCEPTED
    locked.review_reason = reason[:1000]
    locked.reviewed_by = actor.user
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["review_state", "review_reason", "reviewed_by", "reviewed_at"])
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        object_type="instrument",
        object_ref=locked.pk,
        section="instruments",
        detail=f"accepted {locked.key} after review of {len(locked.review_findings)} "
        f"finding(s): {reason[:200]}",
    )
    return locked


@transaction.atomic
def terminology_load(*, actor: Actor, path: str | Path) -> list[TerminologyValueSet]:
    """Store the ValueSets of a FHIR Bundle (or one ValueSet) file; all of them or none.

    A ValueSet already stored under the same url and version with other content is refused.
    """
    from attune.measures.fhir_import import parse_json

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InstrumentError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InstrumentError(f"{path} is not UTF-8 text") from None
    stored: list[TerminologyValueSet] = []
    for resource in list(value_sets_in_bundle(parse_json(text))):
        version = resource.get("version") if isinstance(resource.get("version"), str) else ""
        existing = TerminologyValueSet.objects.filter(url=resource["url"], version=version).first()
        if existing is not None:
            if existing.resource != resource:
                raise InstrumentError(
                    f"ValueSet {resource['url']} version {version or '(none)'} is already "
                    "loaded with other content; give it another version"
                )
            stored.append(existing)
            continue
        stored.append(
            TerminologyValueSet.objects.create(
                url=resource["url"][:255], version=version[:40], resource=resource
            )
        )
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        object_type="terminology",
        object_ref=stored[0].pk if stored else "",
        section="instruments",
        detail=f"loaded {len(stored)} value set(s): "
        + ", ".join(value_set.url for value_set in stored)[:250],
    )
    return stored


class InstrumentNotReady(MeasuresError):
    """The instrument is held for review and cannot be sent to a client yet."""


def _refuse_unreviewed(instrument: StoredInstrument) -> None:
    if instrument.needs_review:
        raise InstrumentNotReady(
            f"{instrument.title} needs review by a leader before it can be sent "
            f"({len(instrument.review_findings)} finding(s) at import); nothing was sent"
        )


def bundled_instrument_stored(name: str) -> StoredInstrument:
    """Return the stored row of bundled instrument ``name``, storing it on first use."""
    instrument = load_bundled_instrument(name)
    found = StoredInstrument.objects.filter(key=instrument.key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return instrument_store(
                actor=Actor.system(),
                instrument=instrument,
                source_format=SourceFormat.YAML,
                source=bundled_source(name),
                bundled=True,
            )[0]
    except IntegrityError:  # stored by a concurrent request a moment ago
        return StoredInstrument.objects.get(key=instrument.key)


# Parsed instruments by ``url|version``: a key always holds the same document (``instrument_store``
# refuses another under it), so each process parses it once.  The source is compared on a hit,
# which costs far less than parsing, so a database rebuilt with other content is never misread.
_PARSED: dict[str, tuple[str, str, Instrument]] = {}
_PARSED_LIMIT = 256


def instrument_of(stored: StoredInstrument) -> Instrument:
    """Return the pure instrument a stored row holds, parsed once per ``url|version``."""
    cached = _PARSED.get(stored.key)
    if cached is not None and cached[0] == stored.source_format and cached[1] == stored.source:
        return cached[2]
    terminology = json.dumps(stored.terminology or {}, sort_keys=True)
    instrument = _instrument_from_source(stored.source_format, stored.source, terminology)
    if len(_PARSED) >= _PARSED_LIMIT:
        _PARSED.clear()
    _PARSED[stored.key] = (stored.source_format, stored.source, instrument)
    return instrument


def bundled_source(name: str) -> str:
    """Return the YAML text of bundled instrument ``name``, stored so its key stays pinned."""
    return (
        resources.files("attune.measures")
        .joinpath("instruments", f"{name}.yaml")
        .read_text("utf-8")
    )


@lru_cache(maxsize=64)
def _instrument_from_source(source_format: str, source: str, terminology: str = "{}") -> Instrument:
    if source_format == SourceFormat.FHIR:
        return load_questionnaire_json(source, terminology=json.loads(terminology))
    return load_instrument_yaml(source)


def goals_instrument(goal_texts: Sequence[str]) -> Instrument:
    """Return the goals check-in built around the client's own goals."""
    return _goals_instrument(tuple(goal_texts))


@lru_cache(maxsize=256)
def _goals_instrument(goal_texts: tuple[str, ...]) -> Instrument:
    return stored_goals_checkin(goal_texts)


def questionnaire_of(stored: StoredInstrument) -> dict[str, Any]:
    """Return the stored instrument as a FHIR Questionnaire."""
    return questionnaire_from_instrument(instrument_of(stored))


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
    from attune.measures import tasks

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
    channels = tasks.invitation_channels(client)
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        client_id=client.pk,
        object_type="checkin",
        object_ref=checkin.pk,
        section="measures",
        detail=f"{instrument.name} sent"
        + (f" by schedule {schedule.pk} for {due_on.isoformat()}" if schedule else "")
        + (f" with {len(goals)} goal(s)" if goals else "")
        + (f"; invitation by {', '.join(channels)}" if channels else "; no consented contact")
        + ("; no text: opted out of texts" if tasks.sms_opted_out_only(client) else ""),
    )
    if channels:
        transaction.on_commit(
            lambda: tasks.deliver_invitation(
                client_id=client.pk, url=url, expires_at=checkin.expires_at, checkin_id=checkin.pk
            )
        )
    if tasks.sms_opted_out_only(client):
        # The client agreed to texts but texted STOP: recorded, so the therapist sees why.
        from attune.measures.delivery import sms_refused_for_opt_out

        sms_refused_for_opt_out(checkin_id=checkin.pk)
    # The reminder and the expiry wait in the task queue with the check-in's id alone; the
    # invitation above never does, because its message holds the token.
    transaction.on_commit(
        lambda: tasks.enqueue_followups(
            checkin_id=checkin.pk, sent_at=checkin.sent_at, expires_at=checkin.expires_at
        )
    )
    return SentCheckIn(
        checkin=checkin,
        url=url,
        delivered_by=tuple(channels),
        sms_opted_out_at=client.sms_opted_out_at if tasks.sms_opted_out_only(client) else None,
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


# Signals -----------------------------------------------------------------------------------


def rule_settings() -> signals_rules.RuleSettings:
    """Return this agency's signal rules (``ATTUNE_SIGNAL_RULES`` over the defaults)."""
    return signals_rules.rule_settings(settings.ATTUNE_SIGNAL_RULES)


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


def item_labels(instrument: Instrument) -> dict[str, str]:
    """Return what each item is called where people read it, by linkId: its own text.

    The instrument's English words (or its own language's), so signals, repair logs and agendas say
    "My therapist respected my values and beliefs" rather than ``respected-values``.
    """
    labels = {}
    for item in instrument.all_items():
        text = item.text.in_language("en") if item.text is not None else ""
        if text:
            labels[item.link_id] = text.strip()
    return labels


def comment_of(response: Response) -> str:
    """Return the client's own words in a response (its free-text answers), or "".

    Decrypting them is a read of the client's record: callers show them only to the client's
    therapist, and the page that shows them records the read.
    """
    answers = response.answers
    if not isinstance(answers, dict):
        return ""
    text_ids = _text_link_ids(response.instrument)
    words = [str(answers.get(link_id) or "").strip() for link_id in text_ids]
    return "\n".join(word for word in words if word)


def _text_link_ids(stored: StoredInstrument) -> tuple[str, ...]:
    if stored.name == GOALS_CHECKIN:
        return ()
    return tuple(
        item.link_id for item in instrument_of(stored).all_items() if item.type == ItemType.TEXT
    )


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


# Reminders and expiry ----------------------------------------------------------------------
#
# ``checkin_send`` queues two background tasks for each check-in (``attune.measures.tasks``):
# the one reminder, ``ATTUNE_CHECKIN_REMINDER_HOURS`` after sending, and the expiry, when the
# link expires.  They carry only the check-in's id; the functions below do the work, and do it
# once however often they run.  ``checkin_reminders_due`` is the same reminder as a sweep, for
# check-ins whose task was lost; both claim the check-in the same way, so together they still
# remind once.


def _checkins_waiting(now) -> QuerySet[CheckIn]:
    """Check-ins the client can still answer and has not been reminded of."""
    return CheckIn.objects.filter(
        reminder_sent_at__isnull=True,
        expires_at__gt=now,
        link__used_at__isnull=True,
        link__revoked_at__isnull=True,
        client__closed_at__isnull=True,
    )


def checkin_remind(*, actor: Actor, checkin_id: int, now=None) -> bool:
    """Send the one reminder of check-in ``checkin_id`` if the client can still answer it.

    Nothing is sent when it was answered, expired, its link revoked, the client's episode of
    care closed, a reminder already sent, or the client cannot be reached with consent.
    Return whether a reminder went.
    """
    now = now or timezone.now()
    found = _checkins_waiting(now).select_related("client").filter(pk=checkin_id).first()
    if found is None:
        return False
    return _checkin_remind_claimed(actor=actor, checkin=found, client=found.client, now=now)


def checkin_reminders_due(*, actor: Actor, now=None, after_hours: int | None = None) -> int:
    """Remind clients once about check-ins still unanswered ``after_hours`` after sending.

    The reminder tasks do this for each check-in on time; this sweep catches any whose task
    never ran.  Return how many reminders were sent.
    """
    now = now or timezone.now()
    hours = after_hours or settings.ATTUNE_CHECKIN_REMINDER_HOURS
    due = list(
        _checkins_waiting(now)
        .filter(sent_at__lte=now - timedelta(hours=hours))
        .only("pk", "client_id")
    )
    clients = Client.objects.in_bulk({checkin.client_id for checkin in due})
    return sum(
        _checkin_remind_claimed(
            actor=actor, checkin=checkin, client=clients[checkin.client_id], now=now
        )
        for checkin in due
    )


@transaction.atomic
def _checkin_remind_claimed(*, actor: Actor, checkin: CheckIn, client: Client, now) -> bool:
    """Claim the check-in's one reminder with a conditional UPDATE, then send it on commit.

    The UPDATE only changes a row whose ``reminder_sent_at`` is still empty, so of two runs at
    once (a task run twice, or a task and the sweep) exactly one claims it.  The reminder
    carries no link (only the link's hash is stored): it asks the client to look for the
    earlier message.
    """
    from attune.measures import tasks

    channels = tasks.invitation_channels(client)
    if not channels:
        return False  # no consented way to reach them: nothing to claim
    claimed = CheckIn.objects.filter(
        pk=checkin.pk, reminder_sent_at__isnull=True, expires_at__gt=now
    ).update(reminder_sent_at=now)
    if not claimed:
        return False
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        client_id=client.pk,
        object_type="checkin",
        object_ref=checkin.pk,
        section="measures",
        detail=f"reminder by {', '.join(channels)}",
    )
    transaction.on_commit(lambda: tasks.deliver_reminder(client.pk, checkin.pk))
    return True


@transaction.atomic
def checkin_expire(*, actor: Actor, checkin_id: int, now=None) -> bool:
    """Close check-in ``checkin_id`` once its link has expired: delete the answers saved so far.

    Claimed with a conditional UPDATE on ``expiry_handled_at``, so a second run changes nothing
    and writes nothing.  A check-in that expired unanswered, or that still had a draft, gets a
    trail entry; an answered one has nothing left to delete.  Before the link expires nothing
    happens.  Return whether this run closed it.
    """
    now = now or timezone.now()
    checkin = CheckIn.objects.select_related("link").filter(pk=checkin_id).first()
    if checkin is None or checkin.expires_at > now:
        return False
    claimed = CheckIn.objects.filter(pk=checkin_id, expiry_handled_at__isnull=True).update(
        expiry_handled_at=now
    )
    if not claimed:
        return False
    drafts, _ = CheckInDraft.objects.filter(checkin_id=checkin_id).delete()
    answered = checkin.link.used_at is not None
    if drafts or not answered:
        trail.record(
            actor=actor,
            action=TrailAction.UPDATE,
            client_id=checkin.client_id,
            object_type="checkin",
            object_ref=checkin_id,
            section="measures",
            detail=("link expired after the answer" if answered else "expired unanswered")
            + ("; the saved draft deleted" if drafts else ""),
        )
    return True


# Schedules ---------------------------------------------------------------------------------


class ScheduleError(ValueError):
    """A schedule cannot be made or changed that way; the message says why, for staff."""


def _trail_schedule(actor: Actor, schedule: CheckInSchedule, action: str, detail: str) -> None:
    trail.record(
        actor=actor,
        action=action,
        client_id=schedule.client_id,
        object_type="checkin_schedule",
        object_ref=schedule.pk,
        section="measures",
        detail=detail,
    )


@transaction.atomic
def schedule_create(
    *,
    actor: Actor,
    client: Client,
    instrument: StoredInstrument,
    interval_weeks: int,
    first_due_on: date,
    goal_texts: Sequence[str] = (),
) -> CheckInSchedule:
    """Send ``instrument`` to ``client`` every ``interval_weeks`` weeks from ``first_due_on``.

    One live (active or paused) schedule per client and measure; the client's goals, if
    named, are rated on the same page each time.
    """
    if not 1 <= interval_weeks <= MAX_INTERVAL_WEEKS:
        raise ScheduleError(f"the interval is 1 to {MAX_INTERVAL_WEEKS} weeks")
    if client.closed_at is not None:
        raise ScheduleError("this client's episode of care is closed")
    if instrument.name == GOALS_CHECKIN:
        raise ScheduleError("choose a measure; goals are added with it")
    if instrument.needs_review:
        raise ScheduleError(f"{instrument.title} needs review by a leader before it can be sent")
    goals = clean_goal_texts(goal_texts)
    duplicate = ScheduleError(
        f"{instrument.title} is already scheduled for this client; change or stop that schedule"
    )
    live = CheckInSchedule.objects.filter(client=client, instrument=instrument).exclude(
        state=ScheduleState.STOPPED
    )
    if live.exists():
        raise duplicate
    try:
        with transaction.atomic():
            schedule = CheckInSchedule.objects.create(
                client=client,
                instrument=instrument,
                goal_texts=goals or {},
                interval_weeks=interval_weeks,
                next_due_on=first_due_on,
                created_by=actor.user,
            )
    except IntegrityError:  # made by a concurrent request a moment ago
        raise duplicate from None
    _trail_schedule(
        actor,
        schedule,
        TrailAction.CREATE,
        f"{instrument.name} every {interval_weeks} week(s) from {first_due_on.isoformat()}"
        + (f" with {len(goals)} goal(s)" if goals else ""),
    )
    return schedule


SCHEDULE_CHANGES = {
    "pause": ((ScheduleState.ACTIVE,), ScheduleState.PAUSED),
    "resume": ((ScheduleState.PAUSED,), ScheduleState.ACTIVE),
    "stop": ((ScheduleState.ACTIVE, ScheduleState.PAUSED), ScheduleState.STOPPED),
}


@transaction.atomic
def schedule_change(
    *, actor: Actor, schedule: CheckInSchedule, change: str, today: date | None = None
) -> CheckInSchedule:
    """Pause, resume or stop a schedule.  A resumed schedule sends nothing for the past."""
    if change not in SCHEDULE_CHANGES:
        raise ScheduleError(f"unknown change {change!r}")
    allowed, new_state = SCHEDULE_CHANGES[change]
    schedule = CheckInSchedule.objects.select_for_update().get(pk=schedule.pk)
    if schedule.state not in allowed:
        raise ScheduleError(f"a {schedule.get_state_display().lower()} schedule cannot {change}")
    fields = ["state", "updated_at"]
    schedule.state = new_state
    if change == "resume":
        today = today or timezone.localdate()
        if schedule.next_due_on < today:
            schedule.next_due_on = today
            fields.append("next_due_on")
    schedule.save(update_fields=fields)
    _trail_schedule(actor, schedule, TrailAction.UPDATE, f"schedule {new_state}")
    return schedule


def next_due_after(due_on: date, interval_weeks: int, today: date) -> date:
    """Return the first date after ``today`` on the schedule's rhythm from ``due_on``.

    A schedule that could not send for a while (the command did not run) sends once, not once
    for every period it missed.
    """
    step = timedelta(weeks=interval_weeks)
    following = due_on + step
    if following <= today:
        periods = (today - following) // step + 1
        following += step * periods
    return following


def scheduled_checkins_due(*, actor: Actor, base_url: str, today: date | None = None) -> int:
    """Issue and send every scheduled check-in due by ``today``; return how many were sent.

    Each schedule is locked while its check-in is issued and its next date moved on, and the
    check-in is unique on (schedule, due date): two runs, at once or one after the other, send
    each due check-in once.  Closed clients' and paused or stopped schedules send nothing.
    """
    today = today or timezone.localdate()
    due = CheckInSchedule.objects.filter(
        state=ScheduleState.ACTIVE, next_due_on__lte=today, client__closed_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(
        _scheduled_checkin_send(actor=actor, schedule_id=pk, base_url=base_url, today=today)
        for pk in list(due)
    )


@transaction.atomic
def _scheduled_checkin_send(*, actor: Actor, schedule_id: int, base_url: str, today: date) -> bool:
    schedule = (
        CheckInSchedule.objects.select_for_update(of=("self",))
        .select_related("client", "instrument")
        .filter(pk=schedule_id)
        .first()
    )
    if (
        schedule is None
        or schedule.state != ScheduleState.ACTIVE
        or schedule.next_due_on > today
        or schedule.client.closed_at is not None
    ):
        return False  # changed, sent or closed since the list was read
    due_on = schedule.next_due_on
    sent = True
    try:
        with transaction.atomic():
            checkin_send(
                actor=actor,
                client=schedule.client,
                instrument=schedule.instrument,
                goal_texts=schedule.goal_texts or (),
                base_url=base_url,
                schedule=schedule,
                due_on=due_on,
            )
    except IntegrityError:  # already issued for this date: only move the date on
        sent = False
    except InstrumentNotReady:
        return False  # held for review: stays due, and is sent once a leader accepts it
    schedule.next_due_on = next_due_after(due_on, schedule.interval_weeks, today)
    schedule.save(update_fields=["next_due_on", "updated_at"])
    return sent


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
