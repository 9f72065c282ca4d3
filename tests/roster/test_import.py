"""attune import roster|schedule: dry run, apply, idempotence, conflicts, rejected rows, trail."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.access.trail import verify
from attune.care.models import SessionStatus, TherapySession
from attune.cli import main
from attune.clients import services as client_services
from attune.clients.models import Client
from attune.roster import services
from attune.roster.models import BatchStatus, ExternalIdentifier, ImportBatch

from .builders import roster_csv, schedule_csv

ROWS = (
    "R-1,Quinn Example,Quinn Legal,they/them,es,+1 555 0101,quinn@example.org,ana",
    "R-2,Sam Example,,he/him,,,,ana",
    "R-3,Ari Example,,,Korean,,,ben",
)


def run(tmp_path, capsys, kind, data: bytes, *args):
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(data)
    code = main(["import", kind, str(path), "--as", "lee", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_dry_run_says_what_would_change_and_changes_nothing(agency, tmp_path, capsys):
    before = Client.objects.count()
    code, out, _ = run(tmp_path, capsys, "roster", roster_csv(*ROWS))
    assert code == 0
    assert out.startswith("Dry run (nothing changed): 3 to create, 0 to update, 0 unchanged")
    assert "row 2: R-1: create (chosen name, pronouns, legal name, language" in out
    assert Client.objects.count() == before
    assert not ExternalIdentifier.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.PREVIEWED and batch.count("create") == 3
    assert "Quinn" not in out  # the report names fields, never values


def test_apply_creates_clients_on_each_therapists_caseload(agency, tmp_path, capsys):
    code, out, _ = run(tmp_path, capsys, "roster", roster_csv(*ROWS), "--apply")
    assert code == 0 and out.startswith("Applied: 3 to create")
    quinn = ExternalIdentifier.objects.get(value="R-1").client
    assert quinn.chosen_name == "Quinn Example" and quinn.therapist == agency.therapist_a
    assert quinn.preferred_language == "es" and quinn.legal_name == "Quinn Legal"
    ari = ExternalIdentifier.objects.get(value="R-3").client
    assert ari.therapist == agency.therapist_b and ari.preferred_language == "ko"
    assert ImportBatch.objects.get().status == BatchStatus.APPLIED


def test_a_second_run_of_the_same_file_changes_nothing(agency, tmp_path, capsys):
    run(tmp_path, capsys, "roster", roster_csv(*ROWS), "--apply")
    count = Client.objects.count()
    code, out, _ = run(tmp_path, capsys, "roster", roster_csv(*ROWS), "--apply")
    assert code == 0 and "0 to create, 0 to update, 3 unchanged" in out
    assert Client.objects.count() == count


def test_a_changed_row_updates_only_its_changed_fields(agency, tmp_path, capsys):
    run(tmp_path, capsys, "roster", roster_csv(*ROWS), "--apply")
    changed = "R-2,Sam Example,,he/him,,+1 555 0199,,ana"
    code, out, _ = run(tmp_path, capsys, "roster", roster_csv(changed), "--apply")
    assert "row 2: R-2: update (phone)" in out
    assert ExternalIdentifier.objects.get(value="R-2").client.phone == "+1 555 0199"


def test_blank_cells_never_erase(agency, tmp_path, capsys):
    run(tmp_path, capsys, "roster", roster_csv(*ROWS), "--apply")
    run(tmp_path, capsys, "roster", roster_csv("R-1,Quinn Example,,,,,,ana"), "--apply")
    quinn = ExternalIdentifier.objects.get(value="R-1").client
    assert quinn.pronouns == "they/them" and quinn.email == "quinn@example.org"


def test_what_the_client_told_attune_is_a_conflict_not_overwritten(agency, tmp_path, capsys):
    run(tmp_path, capsys, "roster", roster_csv(*ROWS), "--apply")
    quinn = ExternalIdentifier.objects.get(value="R-1").client
    link = client_services.link_issue(actor=Actor(user=agency.therapist_a), client=quinn).link
    client_services.profile_submit(
        actor=Actor(link_id=link.pk),
        link=link,
        chosen_name="Q",
        pronouns="xe/xem",
        preferred_language="es",
    )
    row = "R-1,Quinn Example,Quinn Legal,they/them,es,+1 555 0102,quinn@example.org,ana"
    code, out, _ = run(tmp_path, capsys, "roster", roster_csv(row), "--apply")
    assert code == 0
    assert "update (phone); conflict, not overwritten: chosen name, pronouns" in out
    assert "the client told Attune their own" in out
    quinn.refresh_from_db()
    assert (quinn.chosen_name, quinn.pronouns, quinn.phone) == ("Q", "xe/xem", "+1 555 0102")
    assert ImportBatch.objects.first().count("conflicts") == 1


def test_a_profile_saved_while_the_file_is_planned_is_kept(agency, tmp_path, capsys, monkeypatch):
    run(tmp_path, capsys, "roster", roster_csv(*ROWS), "--apply")
    quinn = ExternalIdentifier.objects.get(value="R-1").client
    real = services.client_told_fields
    calls = []

    def told_late(ids):
        # The plan sees nothing told yet; the client saves their profile just after it.
        calls.append(1)
        if len(calls) == 1:
            return real([])
        link = client_services.link_issue(actor=Actor(user=agency.therapist_a), client=quinn).link
        client_services.profile_submit(
            actor=Actor(link_id=link.pk),
            link=link,
            chosen_name="Quinn Example",
            pronouns="xe/xem",
            preferred_language="es",
        )
        return real(ids)

    monkeypatch.setattr(services, "client_told_fields", told_late)
    row = "R-1,Quinn Example,,she/her,,,,ana"
    code, out, _ = run(tmp_path, capsys, "roster", roster_csv(row), "--apply")
    assert code == 0 and "unchanged; conflict, not overwritten: pronouns" in out
    quinn.refresh_from_db()
    assert quinn.pronouns == "xe/xem"


def test_a_row_for_a_client_of_another_therapist_is_rejected(agency, tmp_path, capsys):
    run(tmp_path, capsys, "roster", roster_csv(*ROWS), "--apply")
    code, out, _ = run(tmp_path, capsys, "roster", roster_csv("R-1,Quinn Example,,,,,,ben"))
    assert code == 1
    assert "row 2: R-1: rejected: the client is on another therapist's caseload, not ben's" in out
    assert ExternalIdentifier.objects.get(value="R-1").client.therapist == agency.therapist_a


def test_rejected_rows_stop_the_apply_and_nothing_is_stored(agency, tmp_path, capsys):
    rows = (*ROWS, "R-4,Lee Example,,,,,,nobody", "R-5,,,,,,,ana")
    trail_before = AccessEvent.objects.count()
    code, _, err = run(tmp_path, capsys, "roster", roster_csv(*rows), "--apply")
    assert code == 1
    assert "row 5: R-4: rejected: no active therapist has the username 'nobody'" in err
    assert "row 6: R-5: rejected: the chosen name is empty" in err
    assert "2 rows rejected; nothing was stored" in err
    assert not ExternalIdentifier.objects.exists() and not ImportBatch.objects.exists()
    assert AccessEvent.objects.count() == trail_before


def test_skip_rejected_applies_the_other_rows(agency, tmp_path, capsys):
    rows = (*ROWS, "R-4,Lee Example,,,,,,nobody")
    code, out, _ = run(tmp_path, capsys, "roster", roster_csv(*rows), "--apply", "--skip-rejected")
    assert code == 0 and "3 to create, 0 to update, 0 unchanged, 1 rejected" in out
    assert set(ExternalIdentifier.objects.values_list("value", flat=True)) == {"R-1", "R-2", "R-3"}


def test_duplicate_rows_are_rejected_with_the_row_they_repeat(agency, tmp_path, capsys):
    rows = (ROWS[0], ROWS[0], ROWS[1], ROWS[1].replace("Sam", "Samuel"))
    code, out, _ = run(tmp_path, capsys, "roster", roster_csv(*rows))
    assert code == 1
    assert "row 3: R-1: rejected: a duplicate of row 2" in out
    assert "row 4: R-2: rejected: the same id as row 5 with different values" in out
    assert "row 5: R-2: rejected: the same id as row 4 with different values" in out


def test_a_row_with_a_bad_cell_says_which_and_why(agency, tmp_path, capsys):
    rows = (
        "R-1,Quinn,,,Klingonish,,,ana",
        "R-2,Sam,,,,call me,,ana",
        "R-3,Ari,,,,,not-an-address,ana",
    )
    code, out, _ = run(tmp_path, capsys, "roster", roster_csv(*rows))
    assert code == 1
    assert "row 2: R-1: rejected: the language 'Klingonish' is neither a language code" in out
    assert "row 3: R-2: rejected: the phone number may hold digits" in out
    assert "row 4: R-3: rejected: the email address is not a valid address" in out


def test_a_line_break_inside_a_quoted_name_is_read_then_refused_as_a_name(agency, tmp_path, capsys):
    data = roster_csv('R-1,"Quinn\nExample",,,,,,ana', "R-2,Sam,,,,,,ana")
    code, out, _ = run(tmp_path, capsys, "roster", data)
    assert code == 1
    assert "row 2: R-1: rejected: chosen name contains a character that cannot be stored" in out
    assert "row 3: R-2: create" in out


def test_a_bad_file_is_one_line_and_exit_2(agency, tmp_path, capsys):
    code, out, err = run(tmp_path, capsys, "roster", b"")
    assert code == 2 and out == ""
    assert err.strip().endswith("The file is empty: there is no header row and no data.")
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(tmp_path, capsys, "roster", b"external_id,chosen_name\nR-1,Quinn\n")
    assert code == 2 and "Missing required column: therapist" in err


def test_a_semicolon_cp1252_file_with_a_bom_free_header_imports(agency, tmp_path, capsys):
    data = "External ID;Chosen name;Therapist username\nR-7;José Núñez;ana\n".encode("cp1252")
    code, out, _ = run(tmp_path, capsys, "roster", data, "--apply")
    assert code == 0 and "note: The file is not UTF-8" in out
    assert ExternalIdentifier.objects.get(value="R-7").client.chosen_name == "José Núñez"


def test_only_an_active_leader_may_import(agency, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv(*ROWS))
    assert main(["import", "roster", str(path), "--as", "ana", "--apply"]) == 2
    assert "not an active agency leader" in capsys.readouterr().err
    assert not Client.objects.filter(pk__gt=agency.client_b.pk).exists()


def test_an_existing_client_is_linked_by_case_code(agency, tmp_path, capsys):
    header = "external_id,chosen_name,therapist,case_code\n"
    row = f"EHR-1,Zoë-Ann O'Brien,ana,{agency.client_a.case_code}"
    code, out, _ = run(tmp_path, capsys, "roster", roster_csv(row, header=header), "--apply")
    assert code == 0 and "update (external id linked)" in out
    assert ExternalIdentifier.objects.get(value="EHR-1").client == agency.client_a


def test_every_change_is_trailed_and_the_chain_verifies(agency, tmp_path, capsys):
    run(tmp_path, capsys, "roster", roster_csv(*ROWS), "--apply")
    batch = ImportBatch.objects.get()
    entries = AccessEvent.objects.filter(actor=agency.leader)
    assert entries.filter(object_type="client", action="create").count() == 3
    assert entries.filter(object_type="import_batch", object_ref=str(batch.pk)).exists()
    assert verify().ok


def test_a_failure_mid_file_stores_nothing(agency, tmp_path, capsys, monkeypatch):
    from attune.roster import services

    real = services._client_new
    calls = []

    def failing(therapist, values):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(therapist, values)

    monkeypatch.setattr(services, "_client_new", failing)
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv(*ROWS))
    before, trail_before = Client.objects.count(), AccessEvent.objects.count()
    with pytest.raises(RuntimeError):
        main(["import", "roster", str(path), "--as", "lee", "--apply"])
    assert Client.objects.count() == before and AccessEvent.objects.count() == trail_before
    assert not ExternalIdentifier.objects.exists() and not ImportBatch.objects.exists()


def test_the_row_limit_applies_to_the_command(agency, tmp_path, capsys, settings):
    settings.ATTUNE_IMPORT_MAX_ROWS = 2
    code, _, err = run(tmp_path, capsys, "roster", roster_csv(*ROWS))
    assert code == 2 and "more than 2 rows" in err


# --- Schedules -------------------------------------------------------------------------------


@pytest.fixture
def roster(agency, tmp_path, capsys):
    run(tmp_path, capsys, "roster", roster_csv(*ROWS), "--apply")
    return {value: ExternalIdentifier.objects.get(value=value).client for value in ("R-1", "R-3")}


def test_a_schedule_creates_sessions_and_re_runs_change_nothing(roster, tmp_path, capsys):
    data = schedule_csv(
        "A-1,R-1,ana,2026-12-07T09:00:00-05:00,booked",
        "A-2,R-3,ben,2026-12-08 10:30 America/Toronto,",
        "A-3,R-1,ana,2026-12-09T09:00Z,cancelled",
    )
    code, out, _ = run(tmp_path, capsys, "schedule", data, "--apply")
    assert code == 0 and "3 to create" in out
    session = ExternalIdentifier.objects.get(value="A-1").session
    assert session.client == roster["R-1"] and session.status == SessionStatus.SCHEDULED
    assert session.starts_at == datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
    assert ExternalIdentifier.objects.get(value="A-2").session.starts_at == datetime(
        2026, 12, 8, 15, 30, tzinfo=UTC
    )
    cancelled = ExternalIdentifier.objects.get(value="A-3").session
    assert cancelled.status == SessionStatus.CANCELLED and cancelled.cancelled_by == "agency"
    count = TherapySession.objects.count()
    code, out, _ = run(tmp_path, capsys, "schedule", data, "--apply")
    assert "0 to create, 0 to update, 3 unchanged" in out
    assert TherapySession.objects.count() == count


def test_a_moved_or_cancelled_appointment_updates_its_session(roster, tmp_path, capsys):
    run(
        tmp_path, capsys, "schedule", schedule_csv("A-1,R-1,ana,2026-12-07T09:00-05:00,"), "--apply"
    )
    data = schedule_csv("A-1,R-1,ana,2026-12-07T11:00-05:00,cancelled")
    code, out, _ = run(tmp_path, capsys, "schedule", data, "--apply")
    assert "row 2: A-1: update (start time, status)" in out
    session = ExternalIdentifier.objects.get(value="A-1").session
    assert session.status == SessionStatus.CANCELLED
    assert session.starts_at == datetime(2026, 12, 7, 16, 0, tzinfo=UTC)


def test_a_held_session_is_a_conflict_for_the_file(roster, tmp_path, capsys):
    run(
        tmp_path, capsys, "schedule", schedule_csv("A-1,R-1,ana,2026-12-01T09:00-05:00,"), "--apply"
    )
    session = ExternalIdentifier.objects.get(value="A-1").session
    TherapySession.objects.filter(pk=session.pk).update(status=SessionStatus.HELD)
    data = schedule_csv("A-1,R-1,ana,2026-12-01T09:00-05:00,cancelled")
    code, out, _ = run(tmp_path, capsys, "schedule", data, "--apply")
    assert (
        "unchanged; conflict, not overwritten: status (Attune records this session as held" in out
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_schedule_rows_that_cannot_be_imported_say_why(roster, tmp_path, capsys):
    data = schedule_csv(
        "A-1,R-1,ben,2026-12-07T09:00-05:00,",
        "A-2,R-404,ana,2026-12-07T09:00-05:00,",
        "A-3,R-1,ana,2026-12-07 09:00,",
        "A-4,R-1,ana,2026-12-07T09:00-05:00,held",
        "A-5,R-1,ana,next tuesday,",
        "A-6,R-1,ana,2026-12-07 09:00 Mars/Olympus,",
    )
    code, out, _ = run(tmp_path, capsys, "schedule", data)
    assert code == 1
    assert "row 2: A-1: rejected: the client is on another therapist's caseload, not ben's" in out
    assert "row 3: A-2: rejected: no client has the external id 'R-404'; import the roster" in out
    assert "row 4: A-3: rejected: the start time '2026-12-07 09:00' has no time zone" in out
    assert "row 5: A-4: rejected: the status 'held' is not imported" in out
    assert "row 6: A-5: rejected: the start time 'next tuesday' is not a date and time" in out
    assert "row 7: A-6: rejected: the time zone 'Mars/Olympus' is not a known zone" in out
