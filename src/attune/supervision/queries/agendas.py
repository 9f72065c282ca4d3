"""The agenda of a supervision meeting: one function per source of items.

Each source returns ``AgendaItem`` rows for one supervisee's clients over a window (from the last
meeting, or the pair's start, to the meeting, cut short where the pair ended).  Items fall into
the four kinds of cultural dynamics worth bringing to supervision: understanding clients'
contexts, countertransference, systemic issues and power, and missteps and ruptures.  Clients are
named by case code only; showing an agenda records a summary read of every client it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.care import queries as care_queries
from attune.care.models import InterpreterUse, ReflectionSharing, SessionStatus, TherapySession
from attune.clients.models import Client, IdentityCategory, InterpreterNeed, Question
from attune.measures.models import Signal, SignalKind
from attune.supervision.models import (
    ActionStatus,
    MeetingAction,
    MeetingStatus,
    SupervisionMeeting,
)

CONTEXTS = "contexts"
COUNTERTRANSFERENCE = "countertransference"
SYSTEMIC = "systemic"
RUPTURES = "ruptures"
CATEGORIES = (
    (
        CONTEXTS,
        "Understanding clients' cultural contexts",
        "Moments of confusion or uncertainty about a client's background, values or experience.",
    ),
    (
        COUNTERTRANSFERENCE,
        "Countertransference and cultural difference",
        "How the therapist's own identities, biases and experiences shape their reactions.",
    ),
    (
        SYSTEMIC,
        "Systemic issues and power",
        "How privilege, oppression and institutional barriers touch clients' lives and the work.",
    ),
    (
        RUPTURES,
        "Missteps and ruptures",
        "Times a client may have felt hurt, offended or disconnected, and whether repair held.",
    ),
)
REPEATED_NO_SHOWS = 2  # missed sessions in the window that make an access question worth asking
ENGLISH = ("", "en")
# A standing question that this many clients or more share is one line with the list of them.
SUMMARY_AT = 3
NO_FORMULATION = "No cultural formulation yet"


@dataclass(frozen=True)
class AgendaItem:
    """One thing to talk about; the same shape whatever its source.

    ``repeatable`` marks a standing question about a client's record (no formulation yet, an
    interpreter need, fees): when several clients share it, the agenda says it once with the
    list (``members``), instead of one identical line per client.
    """

    category: str
    title: str
    detail: str = ""
    link: str = ""
    case_code: str = ""
    on: date | None = None
    client_id: int | None = None
    repeatable: bool = False
    members: tuple[AgendaItem, ...] = ()

    @property
    def members_share_detail(self) -> bool:
        return len({member.detail for member in self.members}) <= 1


@dataclass
class Section:
    key: str
    label: str
    description: str
    items: list[AgendaItem] = field(default_factory=list)


@dataclass
class Agenda:
    meeting: SupervisionMeeting
    since: date
    until: date
    since_reason: str  # "last meeting" or "start of supervision"
    ended_on: date | None  # set when the pair ended before the meeting date
    sections: list[Section]
    carried_actions: list[MeetingAction]

    @property
    def is_empty(self) -> bool:
        return not any(section.items for section in self.sections)


def _client_url(client_id: int) -> str:
    return reverse("clients:client_detail", kwargs={"client_id": client_id})


def _bounds(since: date, until: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    return start, end


def window(meeting: SupervisionMeeting) -> tuple[date, str, date, date | None]:
    """Return (since, why since, until, ended_on) of a meeting's agenda."""
    pair = meeting.pair
    previous = (
        SupervisionMeeting.objects.filter(
            pair=pair, status=MeetingStatus.HELD, meets_on__lt=meeting.meets_on
        )
        .order_by("-meets_on")
        .values_list("meets_on", flat=True)
        .first()
    )
    since, reason = (
        (previous, "the last meeting") if previous else (pair.starts_on, "the start of supervision")
    )
    until, ended_on = meeting.meets_on, None
    if pair.ends_on is not None and pair.ends_on < until:
        until, ended_on = pair.ends_on, pair.ends_on
    return since, reason, max(until, since), ended_on


# --- Understanding clients' cultural contexts ---------------------------------------------------
def clients_without_formulation(*, supervisee, since: date, until: date) -> list[AgendaItem]:
    """Open clients with no cultural formulation recorded yet."""
    rows = (
        Client.objects.filter(therapist=supervisee, closed_at__isnull=True)
        .annotate(formulations=Count("cultural_formulations"))
        .filter(formulations=0)
        .order_by("case_code")
        .values("id", "case_code", "created_at")
    )
    return [
        AgendaItem(
            category=CONTEXTS,
            title=NO_FORMULATION,
            detail="What is still unknown about how this client understands their difficulties?",
            link=_client_url(row["id"]),
            case_code=row["case_code"],
            on=timezone.localdate(row["created_at"]),
            client_id=row["id"],
            repeatable=True,
        )
        for row in rows
    ]


def _recorded_use(row: Mapping[str, Any], need: str, language: str) -> tuple[str, str]:
    """Title and detail for a client whose need is not sure or not asked, when the period's
    sessions say what actually happened: the record of the sessions comes first."""
    held = row["held"]
    if row["informal"]:
        title = f"A family member or friend interpreted at {row['informal']} of {held} sessions"
    elif row["professional"]:
        title = f"A professional interpreter was there at {row['professional']} of {held} sessions"
    else:
        title = f"Needed an interpreter at {row['without']} of {held} sessions, and none was there"
    counts = [
        (row["professional"], "with a professional interpreter"),
        (row["informal"], "with a family member or friend interpreting"),
        (row["without"], "without the interpreter needed"),
    ]
    described = "; ".join(f"{count} {what}" for count, what in counts if count)
    asked = "recorded as not sure" if need == InterpreterNeed.NOT_SURE else "never asked"
    detail = (
        f"Preferred language {language}; {described}. The client's need for an interpreter is "
        f"{asked}: is a professional interpreter the right choice, and does the record say so?"
    )
    return title, detail


def _interpreter_use(row: Mapping[str, Any], language: str) -> tuple[str, str]:
    """Title and detail for a client who needs an interpreter, from the period's sessions."""
    counts = [
        (row["professional"], "with a professional interpreter"),
        (row["informal"], "with a family member or friend interpreting"),
        (row["without"], "without an interpreter"),
        (row["unrecorded"], "with nothing recorded about an interpreter"),
    ]
    held = row["held"]
    described = "; ".join(f"{count} {what}" for count, what in counts if count)
    detail = f"Preferred language {language}; {held} sessions held in this period"
    detail += f" ({described})." if described else "."
    gaps = row["informal"] + row["without"]
    if gaps:
        title = f"Needs an interpreter: {gaps} of {held} sessions without a professional one"
        detail += " What got in the way, and what would it take next time?"
    elif row["unrecorded"]:
        title = "Needs an interpreter: check the need was met"
        detail += " Was an interpreter there each time, and the right one?"
    elif not held:
        title = "Needs an interpreter"
        detail += " Is one booked for the next session, and the right one?"
    else:
        title = "Needs an interpreter: one was there at every session"
        detail += " How is working through an interpreter going, for the client and for you?"
    return title, detail


def interpreter_needs(*, supervisee, since: date, until: date) -> list[AgendaItem]:
    """Clients who need an interpreter (was one there?), or whose need was never asked.

    For a client who needs one, the period's held sessions are counted by what the therapist
    recorded when marking each held (``InterpreterUse``).
    """
    start, end = _bounds(since, until)
    in_period = Q(
        therapy_sessions__status=SessionStatus.HELD,
        therapy_sessions__starts_at__gte=start,
        therapy_sessions__starts_at__lt=end,
    )

    def held(*uses: str) -> Count:
        only = Q(therapy_sessions__interpreter__in=uses) if uses else Q()
        return Count("therapy_sessions", filter=in_period & only)

    rows = (
        Client.objects.filter(therapist=supervisee, closed_at__isnull=True)
        .filter(
            Q(interpreter_needed__in=[InterpreterNeed.YES, InterpreterNeed.NOT_SURE])
            | (Q(interpreter_needed=InterpreterNeed.NOT_ASKED) & ~Q(preferred_language__in=ENGLISH))
        )
        .annotate(
            held=held(),
            professional=held(InterpreterUse.PROFESSIONAL),
            informal=held(InterpreterUse.FAMILY_OR_FRIEND),
            without=held(InterpreterUse.NONE),
            unrecorded=held(InterpreterUse.NOT_RECORDED, InterpreterUse.NOT_NEEDED),
        )
        .order_by("case_code")
        .values(
            "id",
            "case_code",
            "interpreter_needed",
            "preferred_language",
            "held",
            "professional",
            "informal",
            "without",
            "unrecorded",
        )
    )
    items = []
    for row in rows:
        language = row["preferred_language"] or "not recorded"
        recorded = row["professional"] + row["informal"] + row["without"]
        if row["interpreter_needed"] == InterpreterNeed.YES:
            title, detail = _interpreter_use(row, language)
        elif recorded:  # what the sessions recorded, before what the record is unsure of
            title, detail = _recorded_use(row, row["interpreter_needed"], language)
        elif row["interpreter_needed"] == InterpreterNeed.NOT_SURE:
            title = "Not sure about an interpreter"
            detail = f"Preferred language {language}. Has the choice been talked through?"
        else:
            title = "Interpreter need not asked"
            detail = f"Preferred language {language}; nobody has asked about an interpreter yet."
        items.append(
            AgendaItem(
                category=CONTEXTS,
                title=title,
                detail=detail,
                link=_client_url(row["id"]),
                case_code=row["case_code"],
                client_id=row["id"],
                repeatable=True,
            )
        )
    return items


# --- Systemic issues and power ------------------------------------------------------------------
def repeated_no_shows(*, supervisee, since: date, until: date) -> list[AgendaItem]:
    """Clients who missed two or more sessions in the window: a possible access barrier."""
    start, end = _bounds(since, until)
    rows = (
        TherapySession.objects.filter(
            therapist=supervisee,
            status=SessionStatus.NO_SHOW,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .values("client_id", "client__case_code")
        .annotate(n=Count("id"))
        .filter(n__gte=REPEATED_NO_SHOWS)
        .order_by("client__case_code")
    )
    return [
        AgendaItem(
            category=SYSTEMIC,
            title=f"Missed {row['n']} sessions",
            detail=(
                "Repeated missed sessions can point to barriers: cost, travel, work hours, "
                "caring duties, language or trust in the agency."
            ),
            link=_client_url(row["client_id"]),
            case_code=row["client__case_code"],
            client_id=row["client_id"],
            repeatable=True,
        )
        for row in rows
    ]


def fee_concerns(*, supervisee, since: date, until: date) -> list[AgendaItem]:
    """Open clients whose newest self-identification asks to talk about fees."""
    rows = (
        IdentityCategory.objects.filter(
            question=Question.FEE_TIER,
            code="discuss",
            self_identification__client__therapist=supervisee,
            self_identification__client__closed_at__isnull=True,
            self_identification__client__latest_identity=F("self_identification"),
        )
        .values(
            "self_identification__client_id",
            "self_identification__client__case_code",
            "self_identification__created_at",
        )
        .order_by("self_identification__client__case_code")
    )
    return [
        AgendaItem(
            category=SYSTEMIC,
            title="Asked to talk about fees",
            detail="Is the fee a barrier? Has the conversation happened, and what came of it?",
            link=_client_url(row["self_identification__client_id"]),
            case_code=row["self_identification__client__case_code"],
            on=timezone.localdate(row["self_identification__created_at"]),
            client_id=row["self_identification__client_id"],
            repeatable=True,
        )
        for row in rows
    ]


# --- Missteps and ruptures ----------------------------------------------------------------------
def rupture_signals(
    *, supervisee, since: date, until: date, repaired: frozenset[int] = frozenset()
) -> list[AgendaItem]:
    """Possible ruptures raised by clients' check-ins in the window, with where they stand.

    One line per check-in: its one alert lists every reason, the items named by their words.
    An alert with a repair log on the agenda (``repaired``: signal ids) is said on the log's
    line instead.  The client's comment is never on the agenda (it was written for the
    therapist).
    """
    start, end = _bounds(since, until)
    rows = (
        Signal.objects.filter(
            kind=SignalKind.RUPTURE,
            client__therapist=supervisee,
            raised_at__gte=start,
            raised_at__lt=end,
        )
        .select_related("client")
        .order_by("raised_at", "pk")
    )
    items, seen = [], set()
    for signal in rows:
        if signal.response_id in seen or signal.pk in repaired:  # never twice for one check-in
            continue
        seen.add(signal.response_id)
        items.append(
            AgendaItem(
                category=RUPTURES,
                title=f"Possible rupture from a check-in: {signal.reason_labels.lower()}",
                detail=f"{signal.summary} ({signal.get_state_display().lower()})",
                link=_client_url(signal.client_id),
                case_code=signal.client.case_code,
                on=timezone.localdate(signal.raised_at),
                client_id=signal.client_id,
            )
        )
    return items


# --- Reflections the supervisee chose to share, and repair logs (built in attune.care) ----------
REFLECTION_TAG_CATEGORY = {
    "assumption": CONTEXTS,
    "countertransference": COUNTERTRANSFERENCE,
    "systemic": SYSTEMIC,
    "power": SYSTEMIC,
}


def shared_reflections(*, actor: Actor, supervisor, supervisee, since: date, until: date) -> list:
    """Reflections ``supervisee`` chose to share with ``supervisor`` (tags, created_at, client)."""
    return care_queries.shared_reflections(
        actor=actor, supervisor=supervisor, supervisee=supervisee, since=since, until=until
    )


def reflection_items(entries) -> list[AgendaItem]:
    """Turn shared reflections (``.tags``, ``.created_at``, ``.client``) into agenda items.

    A reflection tagged both "systemic" and "power" appears once, under systemic issues.
    """
    items = []
    for entry in entries:
        client = getattr(entry, "client", None)
        categories = []
        for tag in entry.tags:
            category = REFLECTION_TAG_CATEGORY.get(tag)
            if category and category not in categories:
                categories.append(category)
        # Every shared entry is something the supervisee chose to bring; untagged ones are
        # their own reactions to the work.
        for category in categories or [COUNTERTRANSFERENCE]:
            items.append(
                AgendaItem(
                    category=category,
                    title=getattr(entry, "title", "") or "A reflection shared for supervision",
                    detail="Tagged " + ", ".join(sorted(entry.tags)),
                    link=reverse("care:reflection_detail", args=[entry.pk]),
                    case_code=client.case_code if client else "",
                    on=timezone.localdate(entry.created_at),
                    client_id=client.pk if client else None,
                )
            )
    return items


def repairs_for_supervision(*, actor: StaffActor, supervisee, since: date, until: date) -> list:
    """Repair logs of ``supervisee``'s clients (status, opened_at, closed_at, client, held)."""
    return care_queries.repairs_for_supervision(
        actor=actor, supervisee=supervisee, since=since, until=until
    )


def repair_items(logs) -> list[AgendaItem]:
    """Turn repair logs (``.status``, ``.opened_at``, ``.closed_at``, ``.client``) into items."""
    items = []
    for log in logs:
        client = getattr(log, "client", None)
        display = getattr(log, "get_status_display", None)
        status = str(display() if display else log.status).lower()
        when = f"opened {timezone.localdate(log.opened_at):%-d %b %Y}"
        if log.closed_at:
            when += f", closed {timezone.localdate(log.closed_at):%-d %b %Y}"
        held = getattr(log, "held", None)
        evidences: dict[bool | None, str] = {
            True: "The client's check-ins since are back to their baseline.",
            False: "The client's check-ins since are still below their baseline.",
        }
        evidence = evidences.get(held, "No check-in since says yet whether the repair held.")
        signal = getattr(log, "signal", None)
        origin = ""
        if signal is not None:
            reasons = getattr(signal, "reason_labels", "") or "possible rupture"
            origin = (
                f"From the check-in of {timezone.localdate(signal.raised_at):%-d %b %Y} "
                f"(possible rupture: {reasons.lower()}). "
            )
        items.append(
            AgendaItem(
                category=RUPTURES,
                title=f"Repair: {status}",
                detail=f"{origin}{when.capitalize()}. {evidence}",
                link=reverse("care:repair_detail", args=[log.pk]),
                case_code=client.case_code if client else "",
                on=timezone.localdate(log.opened_at),
                client_id=client.pk if client else None,
            )
        )
    return items


# --- The agenda ---------------------------------------------------------------------------------
def open_clients(supervisee) -> int:
    """How many clients the supervisee has in care now (the "of 19" in a summary line)."""
    return Client.objects.filter(therapist=supervisee, closed_at__isnull=True).count()


def _summary_title(title: str, count: int, of: int) -> str:
    if title == NO_FORMULATION:
        return f"{count} of {of} clients have no cultural formulation yet"
    return f"{title}: {count} of {of} clients"


def summarise(items: list[AgendaItem], of: int, at_least: int = SUMMARY_AT) -> list[AgendaItem]:
    """Say a standing question shared by ``at_least`` clients once, followed by their list.

    Items marked ``repeatable`` with the same category and title become one item where the
    first of them stood; ``members`` keeps each (case code, link, detail), in order.  Other
    items (ruptures, shared reflections, repairs) are each their own line.
    """
    groups: dict[tuple[str, str], list[AgendaItem]] = {}
    for item in items:
        if item.repeatable:
            groups.setdefault((item.category, item.title), []).append(item)
    result, placed = [], set()
    for item in items:
        key = (item.category, item.title)
        members = groups.get(key, []) if item.repeatable else []
        if len(members) < at_least:
            result.append(item)
            continue
        if key in placed:
            continue
        placed.add(key)
        shared = len({member.detail for member in members}) == 1
        result.append(
            AgendaItem(
                category=item.category,
                title=_summary_title(item.title, len(members), max(of, len(members))),
                detail=members[0].detail if shared else "",
                members=tuple(members),
            )
        )
    return result


def carried_actions(meeting: SupervisionMeeting) -> list[MeetingAction]:
    """Open actions agreed at earlier meetings of the same pair."""
    return list(
        MeetingAction.objects.filter(
            meeting__pair=meeting.pair,
            meeting__meets_on__lt=meeting.meets_on,
            status=ActionStatus.OPEN,
        )
        .select_related("meeting", "owner")
        .order_by("created_at", "pk")
    )


def meeting_agenda(*, actor: StaffActor, meeting: SupervisionMeeting) -> Agenda:
    """Build a meeting's agenda and record a summary read of each client it names."""
    pair = meeting.pair
    supervisee = pair.supervisee
    since, reason, until, ended_on = window(meeting)
    scope: dict[str, Any] = {"supervisee": supervisee, "since": since, "until": until}
    logs = repairs_for_supervision(actor=actor, **scope)
    repaired = frozenset(log.signal_id for log in logs if getattr(log, "signal_id", None))
    items: list[AgendaItem] = [
        *clients_without_formulation(**scope),
        *interpreter_needs(**scope),
        *repeated_no_shows(**scope),
        *fee_concerns(**scope),
        *rupture_signals(**scope, repaired=repaired),
        *reflection_items(shared_reflections(actor=actor, supervisor=pair.supervisor, **scope)),
        *repair_items(logs),
    ]
    sections = [Section(key, label, description) for key, label, description in CATEGORIES]
    by_key = {section.key: section for section in sections}
    for item in summarise(items, open_clients(supervisee)):
        by_key[item.category].items.append(item)
    for client_id in sorted({item.client_id for item in items if item.client_id}):
        trail.record(
            actor=actor,
            action=TrailAction.VIEW,
            client_id=client_id,
            object_type="client",
            object_ref=client_id,
            section="summary",
            detail=f"named in the agenda of supervision meeting {meeting.pk}",
        )
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        object_type="supervision_agenda",
        object_ref=meeting.pk,
        section="supervision",
        detail=f"{since.isoformat()} to {until.isoformat()}, {len(items)} items",
    )
    return Agenda(
        meeting=meeting,
        since=since,
        until=until,
        since_reason=reason,
        ended_on=ended_on,
        sections=sections,
        carried_actions=carried_actions(meeting),
    )


@dataclass
class ReflectionToBring:
    """One of the supervisee's own entries of the period, and whether this supervisor has it."""

    entry: object
    shared: bool


def reflections_to_bring(
    *, actor: StaffActor, meeting: SupervisionMeeting
) -> list[ReflectionToBring]:
    """Return the supervisee's own journal entries of the agenda's period, for them to choose.

    Only the supervisee themselves gets any: the entries are private until they share one.
    """
    pair = meeting.pair
    if actor.user.pk != pair.supervisee_id:
        return []
    since, _reason, until, _ended = window(meeting)
    entries = care_queries.my_reflections(actor=actor, since=since, until=until)
    shared_ids = set(
        ReflectionSharing.objects.filter(
            reflection__in=entries, supervisor_id=pair.supervisor_id, unshared_at__isnull=True
        ).values_list("reflection_id", flat=True)
    )
    return [ReflectionToBring(entry=entry, shared=entry.pk in shared_ids) for entry in entries]
