"""The access trail: every read and write is in it, chained, append-only and verifiable."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client as HttpClient

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import AccessEvent, TrailAction


def drop_append_only_triggers() -> None:
    """Act as an attacker with database rights, who can remove the triggers first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER access_trail_no_change ON access_accessevent")
        else:
            cursor.execute("DROP TRIGGER access_trail_no_update")
            cursor.execute("DROP TRIGGER access_trail_no_delete")


def test_it_records_who_read_which_section_from_where(agency):
    http = HttpClient(REMOTE_ADDR="203.0.113.9", HTTP_X_REQUEST_ID="req-42")
    http.force_login(agency.therapist_a)
    response = http.get(f"/clients/{agency.client_a.pk}/billing/")
    event = AccessEvent.objects.filter(client_ref=agency.client_a.pk).order_by("-id").first()
    assert event.actor == agency.therapist_a
    assert event.action == TrailAction.VIEW
    assert event.section == "legal_name"
    assert event.ip == "203.0.113.9"
    # The request id is the server's own, echoed in the response; the one sent is ignored.
    assert event.request_id == response["X-Request-ID"] != "req-42"
    assert event.at.tzinfo is not None


def test_it_records_writes_in_the_same_transaction(agency):
    before = AccessEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        from attune.clients.services import client_update

        client_update(actor=Actor(user=agency.therapist_a), client=agency.client_a, pronouns="xe")
        raise RuntimeError("the caller fails after the write")
    assert AccessEvent.objects.count() == before


def test_it_verifies_an_untouched_chain(agency):
    result = trail.verify()
    assert result.ok, result.problem
    assert result.checked == AccessEvent.objects.count() > 0


def test_it_detects_an_altered_entry(agency):
    trail.seal()
    victim = AccessEvent.objects.order_by("seq")[1]
    drop_append_only_triggers()
    AccessEvent.objects.filter(pk=victim.pk).update(detail="nothing to see")
    result = trail.verify()
    assert not result.ok
    assert f"#{victim.seq} has been altered" in result.problem


def test_it_detects_a_deleted_entry(agency):
    trail.seal()
    victim = AccessEvent.objects.order_by("seq")[1]
    drop_append_only_triggers()
    AccessEvent.objects.filter(pk=victim.pk)._raw_delete(AccessEvent.objects.db)
    result = trail.verify()
    assert not result.ok
    assert f"#{victim.seq} is missing" in result.problem


def test_it_detects_a_removed_last_entry(agency):
    trail.seal()
    last = AccessEvent.objects.order_by("-seq").first()
    drop_append_only_triggers()
    AccessEvent.objects.filter(pk=last.pk)._raw_delete(AccessEvent.objects.db)
    assert "head says" in trail.verify().problem


def test_it_refuses_updates_and_deletes_in_the_database(agency):
    event = AccessEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).update(detail="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk)._raw_delete(AccessEvent.objects.db)
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def run_attune(var_dir, *args: str) -> subprocess.CompletedProcess:
    """Run the ``attune`` command on its own SQLite file under ``var_dir``."""
    env = {**os.environ, "ATTUNE_VAR_DIR": str(var_dir), "DATABASE_URL": ""}
    return subprocess.run(
        [sys.executable, "-m", "attune.cli", *args], capture_output=True, text=True, env=env
    )


def test_it_verifies_from_the_command_line(tmp_path):
    """``attune trail verify`` on a real database file, as an operator would run it."""
    assert run_attune(tmp_path, "demo", "--no-serve", "--clients", "3").returncode == 0
    before = run_attune(tmp_path, "trail", "verify")
    assert before.returncode == 0, before.stdout + before.stderr
    seeded = int(before.stdout.split()[1])
    assert run_attune(tmp_path, "manage", "shell", "-c", RECORD_FIVE).returncode == 0
    ok = run_attune(tmp_path, "trail", "verify")
    assert ok.returncode == 0
    assert ok.stdout.startswith(f"ok: {seeded + 5} entries (5 intact, awaiting their seal)")
    sealed = run_attune(tmp_path, "trail", "seal")
    assert sealed.returncode == 0
    assert sealed.stdout.strip() == "sealed 5 trail entries"
    assert run_attune(tmp_path, "trail", "verify").stdout.startswith(f"ok: {seeded + 5} entries,")
    database = sqlite3.connect(tmp_path / "attune.sqlite3")
    database.execute("DROP TRIGGER access_trail_no_update")
    database.execute("UPDATE access_accessevent SET section = 'x' WHERE seq = ?", [seeded + 3])
    database.commit()
    tampered = run_attune(tmp_path, "trail", "verify")
    assert tampered.returncode == 1
    assert f"entry #{seeded + 3} has been altered" in tampered.stdout


RECORD_FIVE = (
    "from attune.access import trail; from attune.access.actor import Actor\n"
    "for _ in range(5): trail.record(actor=Actor.system(), action='view', client_id=1)"
)
