"""``attune serve --with-worker`` runs the task worker beside gunicorn and stops it with it."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

from attune.management_cli import worker_command

SEND_AND_MAKE_DUE = """
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from attune.access.actor import Actor
from attune.clients.models import Client
from attune.measures.services import checkin_send
client = Client.objects.filter(closed_at__isnull=True, therapist__isnull=False)[0]
client.email, client.contact_consent = "sam@example.org", "email"
client.save(update_fields=["email", "contact_consent"])
checkin_send(actor=Actor(user=client.therapist), client=client, base_url="http://127.0.0.1/")
DBTaskResult.objects.filter(task_path="attune.measures.tasks.remind_checkin").update(
    run_after=timezone.now()
)
"""


def attune_env(var_dir) -> dict[str, str]:
    return {
        **os.environ,
        "ATTUNE_VAR_DIR": str(var_dir),
        "DATABASE_URL": "",
        "ATTUNE_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reminder_status(var_dir) -> str | None:
    with sqlite3.connect(var_dir / "attune.sqlite3") as database:
        row = database.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = ?",
            ("attune.measures.tasks.remind_checkin",),
        ).fetchone()
    return row[0] if row else None


def unsealed_trail_entries(var_dir) -> int:
    with sqlite3.connect(var_dir / "attune.sqlite3") as database:
        return database.execute(
            "SELECT count(*) FROM access_accessevent WHERE seq IS NULL"
        ).fetchone()[0]


def wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - a local test server
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def test_the_worker_runs_due_tasks_beside_the_server_and_stops_with_it(tmp_path):
    env = attune_env(tmp_path)
    run = [sys.executable, "-m", "attune.cli"]
    seeded = subprocess.run(
        [*run, "demo", "--no-serve", "--clients", "6"], env=env, capture_output=True, text=True
    )
    assert seeded.returncode == 0, seeded.stderr
    queued = subprocess.run(
        [*run, "manage", "shell", "-c", SEND_AND_MAKE_DUE], env=env, capture_output=True, text=True
    )
    assert queued.returncode == 0, queued.stderr
    assert reminder_status(tmp_path) == "READY"
    assert unsealed_trail_entries(tmp_path) > 0  # the shell's send, written but not yet sealed

    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*run, "serve", "--with-worker", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        assert wait_for(lambda: answers(f"http://127.0.0.1:{port}/")), log.read_text()
        assert wait_for(lambda: reminder_status(tmp_path) == "SUCCESSFUL"), log.read_text()
        children = subprocess.run(
            ["ps", "--ppid", str(server.pid), "-o", "args="], capture_output=True, text=True
        ).stdout
        assert "gunicorn" in children and "db_worker" in children
        assert "trail seal --follow" in children
        assert wait_for(lambda: unsealed_trail_entries(tmp_path) == 0, 20), log.read_text()
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=60)
    output = log.read_text()
    assert code == 0, output
    # The only email this process sent is the reminder (the invitation went from the shell
    # above), and it carries no link.
    assert output.count("Subject: ") == 1, output
    assert "/c/" not in output
    left = subprocess.run(["ps", "--ppid", str(server.pid)], capture_output=True, text=True)
    assert left.stdout.count("\n") <= 1  # only the header: no child outlived the server


def test_the_worker_is_this_installations_db_worker():
    command = worker_command()
    assert command[0] == sys.executable
    assert command[2:5] == ["django", "db_worker", "--no-reload"]
