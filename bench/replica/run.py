"""Dashboards from a real PostgreSQL hot standby, and back to the primary when it lags.

Starts a throwaway primary and, from it with ``pg_basebackup``, a streaming hot standby, both on
this machine in a temporary folder (the system's PostgreSQL is not touched); seeds a synthetic
agency on the primary and computes its equity figures; then, with Attune configured with both:

1. reads outside a report block go to the primary, and the leader's dashboard reads the replica
   (the queries are counted on each connection);
2. the dashboard's time per request from the replica and from the primary, alternately;
3. replay on the standby is paused and the primary written to: the dashboard reads the primary;
   replay resumed, it reads the replica again.

Usage: .venv/bin/python bench/replica/run.py [--clients 400] [--requests 30] [--smoke]
Prints one JSON line and appends it to bench/results/replica.jsonl.  Needs PostgreSQL's server
programs (initdb, pg_ctl, pg_basebackup) and, when run as root, the ``postgres`` user.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def server_programs() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        sys.exit("bench/replica: PostgreSQL's initdb was not found")
    return Path(initdb).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(command: list[str]) -> list[str]:
    """Run ``command`` as the postgres user when we are root (the server refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True)


def start_pair(base: Path) -> tuple[int, int]:
    """Start a primary and its hot standby under ``base``; return their ports."""
    bin_ = server_programs()
    primary, standby = base / "primary", base / "standby"
    primary_port, standby_port = free_port(), free_port()
    run(as_postgres([str(bin_ / "initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres",
                     "--no-sync"]))  # fmt: skip
    with open(primary / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write(
            f"port = {primary_port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{base}'\nfsync = off\nwal_level = replica\n"
            "max_wal_senders = 4\n"
        )
    with open(primary / "pg_hba.conf", "a", encoding="utf-8") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    run(as_postgres([str(bin_ / "pg_ctl"), "-D", str(primary), "-l", str(base / "primary.log"),
                     "-w", "start"]))  # fmt: skip
    run(as_postgres([str(bin_ / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary_port),
                     "-U", "postgres", "-D", str(standby), "-R", "-X", "stream"]))  # fmt: skip
    with open(standby / "postgresql.auto.conf", "a", encoding="utf-8") as conf:
        conf.write(f"port = {standby_port}\nhot_standby = on\n")
    run(as_postgres([str(bin_ / "pg_ctl"), "-D", str(standby), "-l", str(base / "standby.log"),
                     "-w", "start"]))  # fmt: skip
    return primary_port, standby_port


def stop_pair(base: Path) -> None:
    bin_ = server_programs()
    for name in ("standby", "primary"):
        if (base / name / "postmaster.pid").exists():
            subprocess.run(
                as_postgres([str(bin_ / "pg_ctl"), "-D", str(base / name), "-m", "fast", "stop"]),
                capture_output=True,
            )


CHECK = r"""
import json, statistics, sys, time
import django
django.setup()
from django.db import connection, connections
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from attune import replica
from attune.access.models import Role, StaffUser

requests = int(sys.argv[1])
leader = StaffUser.objects.filter(role=Role.LEADER, is_active=True).first()
http = HttpClient()
http.force_login(leader)
result = {}

def wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        replica.forget_freshness()
        if condition():
            return True
        time.sleep(0.2)
    return False

def served_by():
    with CaptureQueriesContext(connections["default"]) as primary, \
         CaptureQueriesContext(connections["replica"]) as standby:
        assert http.get("/equity/").status_code == 200
    reads = [q for q in standby.captured_queries if "pg_is_in_recovery" not in q["sql"]]
    return len(primary.captured_queries), len(reads)  # the freshness probe is not a read

result["outside_a_report_block"] = replica.reading_database()
result["caught_up"] = wait_until(lambda: replica.replica_lag_seconds() == 0)
result["dashboard_queries_primary_replica"] = served_by()

def timed(fresh):
    replica.forget_freshness()
    if not fresh:
        replica._freshness.update(checked_at=time.monotonic() + 3600, fresh=False)
    started = time.perf_counter()
    http.get("/equity/")
    return (time.perf_counter() - started) * 1000

from_replica, from_primary = [], []
for _ in range(requests):
    from_replica.append(timed(True))
    from_primary.append(timed(False))
result["dashboard_ms_replica_median"] = round(statistics.median(from_replica), 1)
result["dashboard_ms_primary_median"] = round(statistics.median(from_primary), 1)

with connections["replica"].cursor() as cursor:
    cursor.execute("SELECT pg_wal_replay_pause()")
StaffUser.objects.filter(pk=leader.pk).update(display_name=leader.display_name)  # a write
replica.forget_freshness()
result["paused_reads_from"] = served_by()
with connections["replica"].cursor() as cursor:
    cursor.execute("SELECT pg_wal_replay_resume()")
result["resumed_caught_up"] = wait_until(lambda: replica.replica_lag_seconds() == 0)
result["resumed_reads_from"] = served_by()
print(json.dumps(result))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--smoke", action="store_true", help="tiny: 30 clients, 3 requests")
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.requests = 30, 3
    base = Path(tempfile.mkdtemp(prefix="attune-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")  # the postgres user writes the clusters and sockets here
    started = time.perf_counter()
    try:
        primary_port, standby_port = start_pair(base)
        run(["createdb", "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres", "attune"])
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary_port}/attune",
            "ATTUNE_REPLICA_DATABASE_URL": f"postgres://postgres@127.0.0.1:{standby_port}/attune",
            "ATTUNE_AUTOGENERATE_SECRETS": "true",
            "ATTUNE_VAR_DIR": str(base / "var"),
            "ATTUNE_HTTPS": "false",
            "ATTUNE_REQUIRE_MFA": "false",
            "ATTUNE_ALLOWED_HOSTS": "testserver,127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "attune.config.settings",
        }
        attune = [PYTHON, "-m", "attune.cli"]
        subprocess.run([*attune, "manage", "migrate", "-v", "0"], env=env, check=True)
        seeding = time.perf_counter()
        subprocess.run(
            [*attune, "seed", "--clients", str(args.clients), "--therapists", "8"],
            env=env,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [*attune, "manage", "refresh_equity_dashboard"],
            env=env,
            check=True,
            capture_output=True,
        )
        seed_seconds = time.perf_counter() - seeding
        checked = subprocess.run(
            [PYTHON, "-c", CHECK, str(args.requests)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(checked.stdout.strip().splitlines()[-1])
    finally:
        stop_pair(base)
        shutil.rmtree(base, ignore_errors=True)
    primary_queries, replica_queries = figures["dashboard_queries_primary_replica"]
    paused_primary, paused_replica = figures["paused_reads_from"]
    resumed_primary, resumed_replica = figures["resumed_reads_from"]
    ok = (
        figures["outside_a_report_block"] == "default"
        and figures["caught_up"]
        and replica_queries > 0
        and paused_replica == 0
        and paused_primary > 0
        and figures["resumed_caught_up"]
        and resumed_replica > 0
    )
    summary = {
        "bench": "replica",
        "clients": args.clients,
        "requests": args.requests,
        "seed_seconds": round(seed_seconds, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        **figures,
        "ok": ok,
    }
    line = json.dumps(summary)
    print(line)
    if not args.smoke:
        results = ROOT / "bench" / "results"
        results.mkdir(exist_ok=True)
        with open(results / "replica.jsonl", "a", encoding="utf-8") as out:
            out.write(line + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
