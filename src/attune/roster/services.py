"""Importing a roster or schedule file: plan what it would change, then apply it in one go.

``plan_roster`` and ``plan_schedule`` only read: they return a ``Plan`` with one outcome per row
(create, update, unchanged or rejected, with the fields and the reasons in words).  ``run_import``
records the ``ImportBatch`` and, when asked to apply, makes every change of the plan inside one
transaction through the clients' and sessions' own services, so each change has its trail
entry and a failure anywhere stores nothing at all.

What a client told Attune themselves (their chosen name, pronouns, legal name, language or
interpreter need, through a private link) is never overwritten: a file that says otherwise
shows a conflict for the leader instead.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import AccessEvent, Role, StaffUser, TrailAction
from attune.care.models import CancelledBy, SessionStatus, TherapySession
from attune.clients.language_names import tag_for
from attune.clients.models import (
    Client,
    ContactConsent,
    InterpreterNeed,
    Question,
    SelfIdentification,
)
from attune.clients.tokens import new_case_code
from attune.clients.validation import (
    CHOSEN_NAME_MAX,
    LEGAL_NAME_MAX,
    PRONOUNS_MAX,
    clean_personal_text,
)
from attune.roster.models import BatchStatus, ExternalIdentifier, ImportBatch, ImportKind
from attune.roster.reading import DEFAULT_MAX_ROWS, FileProblem, Row, Table, read_table

ROSTER_SYSTEM = "urn:attune:file:roster"
SCHEDULE_SYSTEM = "urn:attune:file:schedule"
EXTERNAL_ID_MAX = 200

ROSTER_REQUIRED = ("external_id", "chosen_name", "therapist")
ROSTER_OPTIONAL = (
    "legal_name",
    "pronouns",
    "language",
    "phone",
    "email",
    "contact_consent",
    "interpreter",
    "case_code",
)
ROSTER_ALIASES = {
    "id": "external_id",
    "client_id": "external_id",
    "mrn": "external_id",
    "name": "chosen_name",
    "preferred_language": "language",
    "therapist_username": "therapist",
    "interpreter_needed": "interpreter",
}
SCHEDULE_REQUIRED = ("appointment_id", "client_id", "therapist", "start")
SCHEDULE_OPTIONAL = ("status", "cancelled_by")
SCHEDULE_ALIASES = {
    "external_appointment_id": "appointment_id",
    "appointment": "appointment_id",
    "client_external_id": "client_id",
    "client": "client_id",
    "external_id": "client_id",
    "therapist_username": "therapist",
    "start_time": "start",
    "starts_at": "start",
}
# Field names as the leader reads them in a preview (never the values).
FIELD_WORDS = {
    "chosen_name": "chosen name",
    "pronouns": "pronouns",
    "legal_name": "legal name",
    "preferred_language": "language",
    "phone": "phone",
    "email": "email",
    "contact_consent": "contact consent",
    "interpreter_needed": "interpreter",
    "starts_at": "start time",
    "status": "status",
    "external_id": "external id linked",
}
STATUS_WORDS = {
    "scheduled": "scheduled",
    "booked": "scheduled",
    "pending": "scheduled",
    "proposed": "scheduled",
    "cancelled": "cancelled",
    "canceled": "cancelled",
}
# Statuses a file may not set: the therapist records them, and holding sends the check-in.
RECORDED_IN_ATTUNE = {
    "held": "held",
    "fulfilled": "held",
    "arrived": "held",
    "checked_in": "held",
    "checked-in": "held",
    "no_show": "missed",
    "noshow": "missed",
    "no-show": "missed",
}
PHONE_SHAPE = re.compile(r"[+()0-9 .\-]{5,40}")


class ImportRefused(Exception):
    """The import cannot run at all (unknown leader, rejected rows when applying)."""


@dataclass
class Outcome:
    """What one row does: ``outcome`` is create, update, unchanged or rejected."""

    row: int
    external_id: str
    outcome: str
    fields: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    reason: str = ""
    # What applying needs; never written to the report.
    values: dict = field(default_factory=dict, repr=False)
    target: Any = field(default=None, repr=False)
    therapist: StaffUser | None = field(default=None, repr=False)
    link_only: bool = field(default=False, repr=False)

    def line(self) -> str:
        head = f"row {self.row}: {self.external_id or '(no id)'}: "
        if self.outcome == "rejected":
            return head + "rejected: " + self.reason
        text = head + self.outcome
        if self.fields:
            text += " (" + ", ".join(FIELD_WORDS.get(name, name) for name in self.fields) + ")"
        if self.conflicts:
            words = ", ".join(FIELD_WORDS.get(name, name) for name in self.conflicts)
            text += f"; conflict, not overwritten: {words} ({self.reason})"
        return text

    def as_report(self) -> dict:
        return {
            "row": self.row,
            "external_id": self.external_id,
            "outcome": self.outcome,
            "fields": [FIELD_WORDS.get(name, name) for name in self.fields],
            "conflicts": [FIELD_WORDS.get(name, name) for name in self.conflicts],
            "reason": self.reason,
            "line": self.line(),
        }


@dataclass
class Plan:
    """What a file would change, row by row."""

    kind: str
    system: str
    table: Table
    outcomes: list[Outcome]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("create", "update", "unchanged", "rejected"), 0)
        for outcome in self.outcomes:
            counts[outcome.outcome] += 1
        counts["conflicts"] = sum(1 for outcome in self.outcomes if outcome.conflicts)
        return counts

    @property
    def rejected(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.outcome == "rejected"]

    def summary(self) -> str:
        counts = self.counts
        text = (
            f"{counts['create']} to create, {counts['update']} to update, "
            f"{counts['unchanged']} unchanged, {counts['rejected']} rejected"
        )
        if counts["conflicts"]:
            text += f"; {counts['conflicts']} with conflicts for a leader to look at"
        return text

    def report(self) -> dict:
        return {
            "counts": self.counts,
            "notes": list(self.table.notes),
            "encoding": self.table.encoding,
            "rows": [outcome.as_report() for outcome in self.outcomes],
        }


def max_rows() -> int:
    return int(getattr(settings, "ATTUNE_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


# --- Checking cells --------------------------------------------------------------------------


class RowRejected(Exception):
    """One row cannot be imported; ``str()`` says why, in words."""


def _text(value: str, *, max_length: int, label: str) -> str:
    try:
        return clean_personal_text(value, max_length=max_length, label=label)
    except ValidationError as error:
        raise RowRejected(error.messages[0].rstrip(".").lower()) from error


def _external_id(value: str, label: str) -> str:
    value = value.strip()
    if not value:
        raise RowRejected(f"the {label} is empty")
    if len(value) > EXTERNAL_ID_MAX:
        raise RowRejected(f"the {label} is longer than {EXTERNAL_ID_MAX} characters")
    if any(not ch.isprintable() for ch in value):
        raise RowRejected(f"the {label} contains a character that is not printable")
    return value


def _roster_values(cells: dict[str, str]) -> dict:
    """Return the client fields a roster row sets (empty cells set nothing)."""
    values = {}
    name = _text(cells.get("chosen_name", ""), max_length=CHOSEN_NAME_MAX, label="Chosen name")
    if not name:
        raise RowRejected("the chosen name is empty (one name is enough)")
    values["chosen_name"] = name
    for column, limit, label in (
        ("pronouns", PRONOUNS_MAX, "Pronouns"),
        ("legal_name", LEGAL_NAME_MAX, "Legal name"),
    ):
        if cells.get(column):
            values[column] = _text(cells[column], max_length=limit, label=label)
    if cells.get("language"):
        tag = tag_for(cells["language"])
        if tag is None:
            raise RowRejected(
                f"the language {cells['language'][:40]!r} is neither a language code (es, "
                "zh-Hant) nor a language's name in English (Spanish)"
            )
        values["preferred_language"] = tag
    if cells.get("phone"):
        if not PHONE_SHAPE.fullmatch(cells["phone"]):
            raise RowRejected("the phone number may hold digits, spaces and + ( ) - only")
        values["phone"] = cells["phone"]
    if cells.get("email"):
        try:
            validate_email(cells["email"])
        except ValidationError as error:
            raise RowRejected("the email address is not a valid address") from error
        values["email"] = cells["email"]
    if cells.get("contact_consent"):
        consent = cells["contact_consent"].lower()
        if consent not in ContactConsent.values:
            raise RowRejected(
                "the contact consent must be one of " + ", ".join(ContactConsent.values)
            )
        values["contact_consent"] = consent
    if cells.get("interpreter"):
        need = cells["interpreter"].lower().replace(" ", "_")
        allowed = [value for value in InterpreterNeed.values if value]
        if need not in allowed:
            raise RowRejected("the interpreter need must be one of " + ", ".join(allowed))
        values["interpreter_needed"] = need
    return values


def parse_start(value: str) -> datetime:
    """Return a row's start time, which must say its zone: an offset (2026-12-07T09:00-05:00,
    or Z) or an IANA zone after a space (2026-12-07 09:00 America/Toronto)."""
    value = value.strip()
    zone = None
    parts = value.rsplit(" ", 1)
    if len(parts) == 2 and "/" in parts[1] or (len(parts) == 2 and parts[1] == "UTC"):
        try:
            zone = ZoneInfo(parts[1])
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise RowRejected(f"the time zone {parts[1][:40]!r} is not a known zone") from error
        value = parts[0]
    try:
        when = datetime.fromisoformat(value)
    except ValueError as error:
        raise RowRejected(
            f"the start time {value[:40]!r} is not a date and time such as 2026-12-07T09:00-05:00"
        ) from error
    if zone is not None:
        if when.tzinfo is not None:
            raise RowRejected("the start time has both an offset and a zone name; give one")
        when = when.replace(tzinfo=zone)
    if when.tzinfo is None:
        raise RowRejected(
            f"the start time {value[:40]!r} has no time zone; add one, e.g. "
            "2026-12-07T09:00-05:00 or 2026-12-07 09:00 America/Toronto"
        )
    return when


# --- Planning --------------------------------------------------------------------------------


def _duplicates(rows: list[Row], key_column: str) -> dict[int, str]:
    """Return {row number: reason} for rows to reject as duplicates.

    An identical row repeated is rejected after its first appearance; rows that share an id but
    differ are all rejected, since nobody can tell which one is right.
    """
    first_of: dict[str, Row] = {}
    reasons: dict[int, str] = {}
    for row in rows:
        key = row.cells.get(key_column, "").strip()
        if not key:
            continue
        first = first_of.setdefault(key, row)
        if first is row:
            continue
        if row.key() == first.key():
            reasons[row.number] = f"a duplicate of row {first.number}"
        else:
            reasons[row.number] = (
                f"the same id as row {first.number} with different values; neither is imported"
            )
            reasons.setdefault(
                first.number,
                f"the same id as row {row.number} with different values; neither is imported",
            )
    return reasons


def _therapists(rows: list[Row]) -> dict[str, StaffUser]:
    names = {row.cells.get("therapist", "").strip() for row in rows} - {""}
    return {
        user.username: user
        for user in StaffUser.objects.filter(
            username__in=names, role=Role.THERAPIST, is_active=True
        )
    }


def client_told_fields(client_ids) -> dict[int, set[str]]:
    """Return, per client, the fields the client gave Attune themselves through a link.

    From every self-identification the client wrote (not staff) and every profile update the
    client made; those fields are the client's word and an import never replaces them.
    """
    told: dict[int, set[str]] = defaultdict(set)
    client_ids = list(client_ids)
    if not client_ids:
        return told
    written = SelfIdentification.objects.filter(
        client_id__in=client_ids, written_via_link__isnull=False
    ).only("client_id", "answers")
    for identity in written:
        answers = identity.answers or {}
        for question, name in (
            (Question.CHOSEN_NAME, "chosen_name"),
            (Question.PRONOUNS, "pronouns"),
            (Question.LEGAL_NAME, "legal_name"),
            (Question.LANGUAGES, "preferred_language"),
        ):
            if answers.get(question):
                told[identity.client_id].add(name)
        if (answers.get(Question.INTERPRETER) or {}).get("need"):
            told[identity.client_id].add("interpreter_needed")
    profiles = AccessEvent.objects.filter(
        client_ref__in=client_ids,
        action=TrailAction.UPDATE,
        object_type="client",
        section="profile",
        link_ref__isnull=False,
    ).values_list("client_ref", flat=True)
    for client_id in set(profiles):
        if client_id is not None:  # always, since it matched client_ids
            told[client_id] |= {"chosen_name", "pronouns", "preferred_language"}
    return told


CLIENT_TOLD = "the client told Attune their own; the file's value is not used"


def plan_roster(table: Table, *, system: str = ROSTER_SYSTEM) -> Plan:
    """Return what importing ``table`` as a roster would change; write nothing."""
    rows = table.rows
    duplicates = _duplicates(rows, "external_id")
    therapists = _therapists(rows)
    ids = {row.cells.get("external_id", "").strip() for row in rows} - {""}
    known = {
        identifier.value: identifier
        for identifier in ExternalIdentifier.objects.filter(
            system=system, value__in=ids, client__isnull=False
        ).select_related("client")
    }
    codes = {row.cells.get("case_code", "").strip() for row in rows} - {""}
    by_code = {client.case_code: client for client in Client.objects.filter(case_code__in=codes)}
    linked = set(
        ExternalIdentifier.objects.filter(system=system, client__in=by_code.values()).values_list(
            "client_id", flat=True
        )
    )
    told = client_told_fields(
        [identifier.client_id for identifier in known.values()]
        + [client.pk for client in by_code.values()]
    )
    outcomes = []
    for row in rows:
        external_id = row.cells.get("external_id", "").strip()
        outcome = Outcome(row=row.number, external_id=external_id[:EXTERNAL_ID_MAX], outcome="")
        try:
            if row.number in duplicates:
                raise RowRejected(duplicates[row.number])
            _external_id(external_id, "external id")
            username = row.cells.get("therapist", "").strip()
            therapist = therapists.get(username)
            if therapist is None:
                raise RowRejected(
                    f"no active therapist has the username {username[:40]!r}"
                    if username
                    else "the therapist's username is empty"
                )
            values = _roster_values(row.cells)
            client = known[external_id].client if external_id in known else None
            code = row.cells.get("case_code", "").strip()
            if client is None and code:
                client = by_code.get(code)
                if client is None:
                    raise RowRejected(f"no client has the case code {code[:12]!r}")
                if client.pk in linked:
                    raise RowRejected(
                        f"the client with case code {code[:12]} already has another external id"
                    )
                outcome.link_only = True
            elif client is not None and code and client.case_code != code:
                raise RowRejected(
                    f"external id {external_id} belongs to another client than case code "
                    f"{code[:12]}"
                )
            outcome.therapist = therapist
            if client is None:
                outcome.outcome, outcome.values = "create", values
                outcome.fields = list(values)
                outcomes.append(outcome)
                continue
            if client.therapist_id != therapist.pk:
                raise RowRejected(
                    f"the client is on another therapist's caseload, not {username}'s; a change "
                    "of therapist is made in Attune, not by import"
                )
            changed = {
                name: value for name, value in values.items() if getattr(client, name) != value
            }
            conflicts = [name for name in changed if name in told.get(client.pk, set())]
            for name in conflicts:
                del changed[name]
            outcome.target, outcome.values = client, changed
            outcome.fields = list(changed) + (["external_id"] if outcome.link_only else [])
            outcome.conflicts = conflicts
            outcome.reason = CLIENT_TOLD if conflicts else ""
            outcome.outcome = "update" if outcome.fields else "unchanged"
        except RowRejected as error:
            outcome.outcome, outcome.reason = "rejected", str(error)
        outcomes.append(outcome)
    return Plan(kind=ImportKind.ROSTER, system=system, table=table, outcomes=outcomes)


def plan_schedule(
    table: Table, *, system: str = SCHEDULE_SYSTEM, roster_system: str = ROSTER_SYSTEM
) -> Plan:
    """Return what importing ``table`` as a schedule would change; write nothing."""
    rows = table.rows
    duplicates = _duplicates(rows, "appointment_id")
    therapists = _therapists(rows)
    appointment_ids = {row.cells.get("appointment_id", "").strip() for row in rows} - {""}
    client_ids = {row.cells.get("client_id", "").strip() for row in rows} - {""}
    sessions = {
        identifier.value: identifier.session
        for identifier in ExternalIdentifier.objects.filter(
            system=system, value__in=appointment_ids, session__isnull=False
        ).select_related("session")
    }
    clients = {
        identifier.value: identifier.client
        for identifier in ExternalIdentifier.objects.filter(
            system=roster_system, value__in=client_ids, client__isnull=False
        ).select_related("client")
    }
    outcomes = []
    for row in rows:
        appointment_id = row.cells.get("appointment_id", "").strip()
        outcome = Outcome(row=row.number, external_id=appointment_id[:EXTERNAL_ID_MAX], outcome="")
        try:
            if row.number in duplicates:
                raise RowRejected(duplicates[row.number])
            _external_id(appointment_id, "appointment id")
            client_id = _external_id(row.cells.get("client_id", ""), "client's external id")
            client = clients.get(client_id)
            if client is None:
                raise RowRejected(
                    f"no client has the external id {client_id!r}; import the roster first"
                )
            username = row.cells.get("therapist", "").strip()
            therapist = therapists.get(username)
            if therapist is None:
                raise RowRejected(
                    f"no active therapist has the username {username[:40]!r}"
                    if username
                    else "the therapist's username is empty"
                )
            if client.therapist_id != therapist.pk:
                raise RowRejected(
                    f"the client is on another therapist's caseload, not {username}'s"
                )
            starts_at = parse_start(row.cells.get("start", ""))
            word = (row.cells.get("status") or "scheduled").strip().lower().replace(" ", "_")
            if word in RECORDED_IN_ATTUNE:
                raise RowRejected(
                    f"the status {word!r} is not imported: the therapist records a session "
                    f"{RECORDED_IN_ATTUNE[word]} in Attune (holding it sends the check-in)"
                )
            if word not in STATUS_WORDS:
                raise RowRejected(
                    f"the status {word[:30]!r} is not one of scheduled, booked or cancelled"
                )
            status = STATUS_WORDS[word]
            cancelled_by = (row.cells.get("cancelled_by") or "agency").strip().lower()
            if status == "cancelled" and cancelled_by not in CancelledBy.values:
                raise RowRejected("cancelled by must be one of " + ", ".join(CancelledBy.values))
            outcome.therapist = therapist
            outcome.values = {"client": client, "starts_at": starts_at, "status": status}
            if status == "cancelled":
                outcome.values["cancelled_by"] = cancelled_by
            session = sessions.get(appointment_id)
            if session is None:
                outcome.outcome = "create"
                outcome.fields = ["starts_at", "status"]
                outcomes.append(outcome)
                continue
            if session.client_id != client.pk:
                raise RowRejected("the appointment is another client's in Attune")
            changed = []
            if session.starts_at != starts_at:
                changed.append("starts_at")
            if session.status != status:
                changed.append("status")
            outcome.target = session
            if changed and session.status != SessionStatus.SCHEDULED:
                outcome.conflicts = changed
                outcome.reason = (
                    f"Attune records this session as {session.get_status_display().lower()}; "
                    "the file does not change it"
                )
                changed = []
            outcome.fields = changed
            outcome.outcome = "update" if changed else "unchanged"
        except RowRejected as error:
            outcome.outcome, outcome.reason = "rejected", str(error)
        outcomes.append(outcome)
    return Plan(kind=ImportKind.SCHEDULE, system=system, table=table, outcomes=outcomes)


def read_file(kind: str, data: bytes) -> Table:
    """Read ``data`` as a file of ``kind``; raise ``FileProblem`` with one sentence."""
    if kind == ImportKind.ROSTER:
        return read_table(
            data,
            required=ROSTER_REQUIRED,
            optional=ROSTER_OPTIONAL,
            aliases=ROSTER_ALIASES,
            max_rows=max_rows(),
        )
    return read_table(
        data,
        required=SCHEDULE_REQUIRED,
        optional=SCHEDULE_OPTIONAL,
        aliases=SCHEDULE_ALIASES,
        max_rows=max_rows(),
    )


def plan_file(kind: str, table: Table, system: str | None = None) -> Plan:
    if kind == ImportKind.ROSTER:
        return plan_roster(table, system=system or ROSTER_SYSTEM)
    return plan_schedule(table, system=system or SCHEDULE_SYSTEM)


# --- Applying --------------------------------------------------------------------------------


# Applying writes the rows first and the trail last (``trail.record_many``): the trail's head is
# locked only from that statement to the commit, so a long file never holds up the pages that
# trail their reads meanwhile.  The entries are those the clients' and sessions' services write.


def _client_new(therapist, values: dict) -> Client:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Client.objects.create(
                    case_code=new_case_code(), therapist=therapist, **values
                )
        except IntegrityError:
            continue  # a case-code collision; draw another
    raise RuntimeError("could not draw a unique case code")


def _apply_roster(plan: Plan, actor: Actor, batch: ImportBatch) -> list[trail.Entry]:
    entries = []
    identifiers = []
    # Lock the clients to update, then ask again what they told Attune themselves: a client who
    # saved their profile while the file was being planned keeps their word.
    updating = [o for o in plan.outcomes if o.outcome == "update" and o.values]
    if updating:
        pks = [o.target.pk for o in updating]
        list(Client.objects.select_for_update().filter(pk__in=pks).values_list("pk", flat=True))
        told = client_told_fields(pks)
        for outcome in updating:
            late = [name for name in outcome.values if name in told.get(outcome.target.pk, ())]
            for name in late:
                del outcome.values[name]
                outcome.fields.remove(name)
                outcome.conflicts.append(name)
                outcome.reason = CLIENT_TOLD
            if not outcome.fields:
                outcome.outcome = "unchanged"
    for outcome in plan.outcomes:
        if outcome.outcome == "create":
            client = _client_new(outcome.therapist, outcome.values)
            identifiers.append(
                ExternalIdentifier(
                    system=plan.system, value=outcome.external_id, client=client, batch=batch
                )
            )
            entries.append(
                trail.Entry(
                    actor,
                    TrailAction.CREATE,
                    client.pk,
                    "client",
                    client.pk,
                    "record",
                    f"by roster import {batch.pk}",
                )
            )
        elif outcome.outcome == "update":
            client = outcome.target
            if outcome.values:
                for name, value in outcome.values.items():
                    setattr(client, name, value)
                client.save(update_fields=[*outcome.values, "updated_at"])
                entries.append(
                    trail.Entry(
                        actor,
                        TrailAction.UPDATE,
                        client.pk,
                        "client",
                        client.pk,
                        "record",
                        f"by roster import {batch.pk}; changed: "
                        + ", ".join(sorted(outcome.values)),
                    )
                )
            if outcome.link_only:
                identifiers.append(
                    ExternalIdentifier(
                        system=plan.system, value=outcome.external_id, client=client, batch=batch
                    )
                )
                entries.append(
                    trail.Entry(
                        actor,
                        TrailAction.UPDATE,
                        client.pk,
                        "external_identifier",
                        outcome.external_id[:64],
                        "record",
                        f"external id linked by roster import {batch.pk}",
                    )
                )
    ExternalIdentifier.objects.bulk_create(identifiers, batch_size=500)
    return entries


def _starts(when: datetime) -> str:
    return dateformat.format(timezone.localtime(when), "j M Y, H:i T")


def _apply_schedule(plan: Plan, actor: Actor, batch: ImportBatch) -> list[trail.Entry]:
    entries = []
    identifiers = []

    def note(session, action, detail):
        entries.append(
            trail.Entry(
                actor, action, session.client_id, "therapy_session", session.pk, "sessions", detail
            )
        )

    for outcome in plan.outcomes:
        values = outcome.values
        cancelled = values.get("status") == "cancelled"
        if outcome.outcome == "create":
            assert outcome.therapist is not None  # a planned session always names its therapist
            session = TherapySession.objects.create(
                client=values["client"],
                therapist=outcome.therapist,
                starts_at=values["starts_at"],
                status=SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED,
                cancelled_by=values["cancelled_by"] if cancelled else "",
            )
            identifiers.append(
                ExternalIdentifier(
                    system=plan.system, value=outcome.external_id, session=session, batch=batch
                )
            )
            note(
                session,
                TrailAction.CREATE,
                f"scheduled for {_starts(session.starts_at)} by schedule import {batch.pk}",
            )
            if cancelled:
                note(session, TrailAction.UPDATE, f"cancelled by {values['cancelled_by']}")
        elif outcome.outcome == "update":
            # Locked and checked again: only a scheduled session is changed by a file.
            session = TherapySession.objects.select_for_update().get(pk=outcome.target.pk)
            if session.status != SessionStatus.SCHEDULED:
                continue
            fields = ["updated_at"]
            if "starts_at" in outcome.fields:
                session.starts_at = values["starts_at"]
                fields.append("starts_at")
                note(
                    session,
                    TrailAction.UPDATE,
                    f"moved to {_starts(session.starts_at)} by schedule import {batch.pk}",
                )
            if "status" in outcome.fields and cancelled:
                session.status = SessionStatus.CANCELLED
                session.cancelled_by = values["cancelled_by"]
                fields += ["status", "cancelled_by"]
                note(session, TrailAction.UPDATE, f"cancelled by {values['cancelled_by']}")
            session.save(update_fields=fields)
    ExternalIdentifier.objects.bulk_create(identifiers, batch_size=500)
    return entries


@dataclass
class ImportResult:
    batch: ImportBatch
    plan: Plan
    applied: bool
    problem: str = ""


def leader_named(username: str) -> StaffUser:
    """Return the active leader ``username``; raise ``ImportRefused`` otherwise."""
    user = StaffUser.objects.filter(username=username, is_active=True).first()
    if user is None or user.role != Role.LEADER:
        raise ImportRefused(f"{username!r} is not an active agency leader; only a leader imports")
    return user


def _batch_trail(actor: Actor, batch: ImportBatch, action: str, detail: str) -> None:
    trail.record(
        actor=actor,
        action=action,
        object_type="import_batch",
        object_ref=batch.pk,
        section=f"{batch.kind}_import",
        detail=detail,
    )


def preview(
    *,
    leader: StaffUser,
    kind: str,
    data: bytes,
    filename: str = "",
    source: str = "command",
    keep_content: bool = False,
    system: str | None = None,
    actor: Actor | None = None,
) -> ImportResult:
    """Read and plan a file without changing a client or session; record the batch (a preview).

    Raise ``FileProblem`` when the file cannot be read at all (nothing is recorded then).
    """
    import base64

    table = read_file(kind, data)
    plan = plan_file(kind, table, system)
    actor = actor or Actor(user=leader, request_id=f"{kind}-import")
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=kind,
            source=source,
            filename=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            system=plan.system,
            leader=leader,
            report=plan.report(),
            content=base64.b64encode(data).decode("ascii") if keep_content else "",
        )
        _batch_trail(actor, batch, TrailAction.VIEW, f"previewed {filename[:80]}: {plan.summary()}")
    return ImportResult(batch=batch, plan=plan, applied=False)


def apply(
    *,
    leader: StaffUser,
    kind: str,
    data: bytes,
    filename: str = "",
    source: str = "command",
    skip_rejected: bool = False,
    system: str | None = None,
    batch: ImportBatch | None = None,
    actor: Actor | None = None,
) -> ImportResult:
    """Apply a file: every change of its plan, or none.

    The plan is made again inside the transaction, so it reflects the records as they are now.
    Rejected rows stop the import unless ``skip_rejected``; then they are left out and listed.
    Raise ``FileProblem`` when the file cannot be read (nothing is recorded then).
    """
    table = read_file(kind, data)
    actor = actor or Actor(user=leader, request_id=f"{kind}-import")
    digest = hashlib.sha256(data).hexdigest()
    try:
        with transaction.atomic():
            plan = plan_file(kind, table, system or (batch.system if batch else None))
            if plan.rejected and not skip_rejected:
                raise ImportRefused(
                    f"{len(plan.rejected)} row{'s' if len(plan.rejected) != 1 else ''} rejected; "
                    "nothing was stored. Correct or remove them, or import the other rows "
                    "and leave the rejected ones out."
                )
            if batch is None:
                batch = ImportBatch(kind=kind, source=source, leader=leader)
            batch.filename = filename[:255] or batch.filename
            batch.sha256, batch.system = digest, plan.system
            batch.report, batch.content = plan.report(), ""
            batch.status, batch.applied_at = BatchStatus.APPLIED, timezone.now()
            batch.save()
            apply_rows = _apply_roster if kind == ImportKind.ROSTER else _apply_schedule
            entries = apply_rows(plan, actor, batch)
            entries.append(
                trail.Entry(
                    actor,
                    TrailAction.UPDATE,
                    None,
                    "import_batch",
                    batch.pk,
                    f"{batch.kind}_import",
                    f"applied {batch.filename[:80]}: {plan.summary()}",
                )
            )
            batch.report = plan.report()  # as applied (a late conflict moves a field)
            batch.save(update_fields=["report"])
            trail.record_many(entries)
    except IntegrityError as error:
        raise ImportRefused(
            "another import or change touched the same records at the same moment; nothing "
            "was stored. Run the import again."
        ) from error
    return ImportResult(batch=batch, plan=plan, applied=True)


__all__ = [
    "FileProblem",
    "ImportRefused",
    "Plan",
    "apply",
    "leader_named",
    "plan_roster",
    "plan_schedule",
    "preview",
]
