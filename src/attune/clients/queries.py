"""Reads of clients that views share.  A read of a client's record is written to the trail."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import TrailAction
from attune.access.policy import client_record_scope, client_summary_scope
from attune.access.refusals import refused_for
from attune.clients.language_names import language_name
from attune.clients.models import Client
from attune.clients.vocabulary import ACCESS_BADGES

SMALL_CELL = 11  # aggregates below this are shown as "fewer than 11"


CASELOAD_FIELDS = (
    "id",
    "case_code",
    "chosen_name",
    "pronouns",
    "preferred_language",
    "interpreter_needed",
    "access_needs",
)


def client_url_builder():
    """Return a function from a client id to its overview URL, reversing once per page.

    A caseload lists about a hundred clients; reversing each URL separately cost more than
    rendering the rows.
    """
    marker = 987654321
    pattern = reverse("clients:client_detail", kwargs={"client_id": marker})
    return pattern.replace(str(marker), "{}").format


def caseload(*, therapist, actor: Actor) -> list[dict]:
    """Return ``therapist``'s open clients by chosen name, and record that the list was seen.

    Rows are plain dicts (fields of CASELOAD_FIELDS plus ``url``): templates render dicts
    several times faster than model instances, and this page is the busiest there is.
    """
    rows = list(
        Client.objects.filter(therapist=therapist, closed_at__isnull=True).values(*CASELOAD_FIELDS)
    )
    # Names are encrypted at rest, so they are sorted here, after decryption.
    rows.sort(key=lambda row: (row["chosen_name"].casefold(), row["id"]))
    url_for = client_url_builder()
    shared = shared_names(row["chosen_name"] for row in rows)
    for row in rows:
        row["url"] = url_for(row["id"])
        row["access_badges"] = [ACCESS_BADGES.get(code, code) for code in row["access_needs"]]
        row["language_name"] = language_name(row["preferred_language"])
        # Two clients who chose the same name are told apart by their case codes.
        row["tell_apart"] = row["case_code"] if row["chosen_name"].casefold() in shared else ""
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        object_type="caseload",
        object_ref=therapist.pk,
        section="caseload",
        detail=f"{len(rows)} clients listed",
    )
    return rows


def shared_names(names) -> set[str]:
    """Return the chosen names (casefolded) that more than one of ``names`` share."""
    seen: set[str] = set()
    shared: set[str] = set()
    for name in names:
        key = name.casefold()
        (shared if key in seen else seen).add(key)
    return shared


def shared_name_codes(*, therapist) -> dict[int, str]:
    """Return {client id: case code} for ``therapist``'s open clients whose chosen name another
    of them shares, so pages that list them can tell them apart (one query)."""
    rows = list(
        Client.objects.filter(therapist=therapist, closed_at__isnull=True).values_list(
            "id", "case_code", "chosen_name"
        )
    )
    shared = shared_names(name for _id, _code, name in rows)
    return {pk: code for pk, code, name in rows if name.casefold() in shared}


def caseload_summary(*, therapist, request) -> list[dict]:
    """Return a supervisee's caseload as summaries, trailed as a supervisor's look."""
    return caseload(therapist=therapist, actor=Actor.from_request(request))


def client_record(*, actor: StaffActor, client_id: int, section: str = "overview") -> Client:
    """Return the client ``actor`` may open in full, recording the read; else raise 404."""
    client = (
        Client.objects.select_related("therapist", "latest_identity")
        .filter(client_record_scope(actor.user), pk=client_id)
        .first()
    )
    if client is None or not actor.user.has_perm("clients.view_record", client):
        raise refused_for(actor, Client, client_id, section=section, client_field="pk")
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=client.pk,
        object_type="client",
        object_ref=client.pk,
        section=section,
    )
    return client


def client_overview(*, actor: StaffActor, client_id: int) -> tuple[Client, bool]:
    """Return a client and whether ``actor`` may see the full record, recording the read.

    A supervisor sees a summary of a supervisee's client; anyone else out of scope gets 404.
    """
    client = (
        Client.objects.select_related("therapist", "latest_identity")
        .filter(client_summary_scope(actor.user), pk=client_id)
        .first()
    )
    if client is None:
        raise refused_client_id(actor, client_id, section="overview")
    full = actor.user.has_perm("clients.view_record", client)
    if not full and not actor.user.has_perm("clients.view_summary", client):
        raise refused_client_id(actor, client_id, section="overview")
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=client.pk,
        object_type="client",
        object_ref=client.pk,
        section="overview" if full else "summary",
    )
    return client, full


def client_for_link(*, actor: Actor, link) -> Client:
    """Return the client a private link belongs to, recording that the client opened it."""
    trail.record(
        actor=actor,
        action=TrailAction.VIEW,
        client_id=link.client_id,
        object_type="client",
        object_ref=link.client_id,
        section=link.purpose,
    )
    return link.client


def latest_formulation(client: Client):
    """Return the client's newest cultural formulation, or None."""
    return client.cultural_formulations.order_by("-version").first()


def versions(client: Client):
    """Return every self-identification and formulation version, newest first, with authors."""
    identities = client.self_identifications.select_related("written_by").order_by("-version")
    formulations = client.cultural_formulations.select_related("written_by").order_by("-version")
    return list(identities), list(formulations)


def client_by_case_code(case_code: str) -> Client | None:
    """Return the client with ``case_code`` (for break-glass), without reading their record."""
    return Client.objects.filter(case_code=case_code.strip().upper()).first()


def language_counts() -> list[dict]:
    """Return open clients per preferred language, small cells shown as fewer than 11."""
    rows = (
        Client.objects.filter(closed_at__isnull=True)
        .values("preferred_language")
        .annotate(n=Count("id"))
        .order_by("-n", "preferred_language")
    )
    result = [
        {
            "language": language_name(row["preferred_language"]) or "not recorded",
            "n": row["n"],
        }
        for row in rows
    ]
    return suppress_small_cells(result)


def suppress_small_cells(rows: list[dict]) -> list[dict]:
    """Blank every count under SMALL_CELL, and one more when only one would be blank.

    With a single blank, the total minus the others would reveal it; a second blank (the
    smallest shown count) stops that.
    """
    small = [row for row in rows if row["n"] < SMALL_CELL]
    if len(small) == 1 and len(rows) > 1:
        shown = [row for row in rows if row["n"] >= SMALL_CELL]
        small.append(min(shown, key=lambda row: row["n"]))
    hidden = {id(row) for row in small}
    return [{**row, "n": None if id(row) in hidden else row["n"]} for row in rows]


def agency_totals() -> dict:
    """Return counts the leader's overview shows."""
    totals = Client.objects.aggregate(
        open_clients=Count("id", filter=Q(closed_at__isnull=True)),
        interpreter_needed=Count("id", filter=Q(closed_at__isnull=True, interpreter_needed="yes")),
    )
    return {name: n if n >= SMALL_CELL else None for name, n in totals.items()}


def refused_client_id(actor: Actor, client_id: object, *, section: str = "") -> Http404:
    """Like ``refused_for``, for client ``client_id`` itself."""
    return refused_for(actor, Client, client_id, section=section, client_field="pk")
