"""The cost of one check-in submission, in-process: SQL queries, CPU time, and a profile.

Sets up a throwaway test database (SQLite in memory, or PostgreSQL when DATABASE_URL is set: a
``test_…`` database beside it), sends check-ins through the real service, opens each link as the
client would, and then times only the POST that submits the answers, through Django's whole
request stack (middleware, session, CSRF, the view, the services, the trail).  Each submission
is counted with ``CaptureQueriesContext`` and timed with the process's CPU clock; the profile of
all of them is printed, heaviest first.

Usage (from the repository root):
    PYTHONPATH=src .venv/bin/python bench/checkins/profile_submission.py [--submissions 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/attune_profile PYTHONPATH=src \\
        .venv/bin/python bench/checkins/profile_submission.py
Prints one JSON line (and the profile with --profile).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def configure() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
    os.environ.setdefault("ATTUNE_VAR_DIR", tempfile.mkdtemp(prefix="attune-profile-"))
    os.environ.update(
        {
            "ATTUNE_AUTOGENERATE_SECRETS": "true",
            "ATTUNE_HTTPS": "false",
            "ATTUNE_REQUIRE_MFA": "false",
            "ATTUNE_LOG_LEVEL": "ERROR",
            "ATTUNE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "ATTUNE_SMS_BACKEND": "attune.measures.sms.LocmemSmsBackend",
            "ATTUNE_LINK_OPENS_PER_MINUTE": "100000",
        }
    )
    import django

    django.setup()


def seed(count: int):
    """Return ``count`` opened check-in pages: (http client, answers) ready to submit."""
    from django.test import Client as HttpClient

    from attune.access.actor import Actor
    from attune.access.models import Role, StaffUser
    from attune.clients import services as client_services
    from attune.measures import services
    from attune.measures.bundled import session_checkin_ratings

    therapist = StaffUser.objects.create(username="ana", role=Role.THERAPIST, display_name="Ana")
    clients = [
        client_services.client_create(
            actor=Actor(user=therapist),
            therapist=therapist,
            chosen_name=f"Client {n}",
            email=f"client{n}@example.org",
            contact_consent="email",
        )
        for n in range(20)
    ]
    pages = []
    for n in range(count):
        sent = services.checkin_send(
            actor=Actor(user=therapist),
            client=clients[n % len(clients)],
            base_url="http://testserver/",
        )
        http = HttpClient(REMOTE_ADDR=f"198.51.100.{n % 250 + 1}")
        http.get(sent.url.replace("http://testserver", ""))
        http.post("/c/language/", {"language": "en"})
        http.get("/c/")
        # Most answers are good; every fourth is low, so rupture signals are raised.
        value = "2" if n % 4 == 3 else "8"
        answers = {f"p1-{link_id}": value for link_id in session_checkin_ratings()}
        answers["p1-comment"] = "Some words of my own."
        pages.append((http, answers, value))
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="print the cProfile table")
    parser.add_argument(
        "--profile-filter",
        nargs="*",
        default=[],
        help="only profile rows matching these patterns (e.g. attune forms)",
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="print the SQL of one submission of each kind"
    )
    args = parser.parse_args()
    configure()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from attune.measures.models import Response

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        pages = seed(args.submissions)
        profiler = cProfile.Profile()
        by_kind: dict[str, dict[str, list[float]]] = {}
        for http, answers, value in pages:
            kind = "low (signals)" if value == "2" else "good"
            started_cpu, started = time.process_time(), time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                profiler.enable()
                response = http.post("/c/", answers)
                profiler.disable()
            cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
            assert response.status_code == 302, response.status_code
            row = by_kind.setdefault(kind, {"queries": [], "cpu_ms": [], "wall_ms": []})
            row["queries"].append(len(queries))
            row["cpu_ms"].append(cpu * 1000)
            row["wall_ms"].append(wall * 1000)
            if args.show_queries and "sql" not in row:
                row["sql"] = [query["sql"][:160] for query in queries.captured_queries]
        assert Response.objects.count() == args.submissions
        result = {
            "database": connection.vendor,
            "submissions": args.submissions,
            **{
                kind: {
                    "queries": sorted(set(row["queries"])),
                    "cpu_ms_median": round(statistics.median(row["cpu_ms"]), 2),
                    "wall_ms_median": round(statistics.median(row["wall_ms"]), 2),
                }
                for kind, row in by_kind.items()
            },
        }
        if args.show_queries:
            for kind, row in by_kind.items():
                print(f"-- {kind}: {len(row['sql'])} queries", file=sys.stderr)
                print("\n".join(row["sql"]), file=sys.stderr)
        if args.profile:
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(*args.profile_filter, 60)
        print(json.dumps(result))
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
