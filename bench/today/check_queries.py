"""Count and explain the statements of the Today and client pages on a loaded database.

Run by ``run.py`` (after loading, before serving) with the benchmark database's environment;
it can also be run alone against any Attune database:

    DATABASE_URL=... ATTUNE_VAR_DIR=... .venv/bin/python bench/today/check_queries.py

For several therapists, whose pages hold different numbers of sessions, signals and check-ins,
it requests ``/today/`` and one client's overview through Django's test client and counts the
statements: the count must not change with the content.  Then, for therapist 1, it times each
SELECT of both pages (median of a few runs) and shows the plan of the slowest ones (EXPLAIN
ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite).  Prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
    import django

    django.setup()


def captured(http, path: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = http.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return [query["sql"] for query in queries.captured_queries]


def timed(sql: str, runs: int) -> float:
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def plan(sql: str) -> str:
    from django.db import connection

    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    return "\n".join(" | ".join(str(cell) for cell in row) for row in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--therapists", type=int, default=8, help="how many to count for")
    parser.add_argument("--runs", type=int, default=7, help="timings per statement")
    parser.add_argument("--plans", type=int, default=4, help="plans shown, slowest first")
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client as HttpClient
    from django.utils import timezone

    from attune.access.models import Role, StaffUser
    from attune.care.models import TherapySession
    from attune.care.queries.today import day_bounds

    therapists = list(
        StaffUser.objects.filter(role=Role.THERAPIST).order_by("pk")[: args.therapists]
    )
    start, end = day_bounds(timezone.localdate())
    counts, statements = [], {}
    for therapist in therapists:
        http = HttpClient(HTTP_HOST="127.0.0.1")
        http.force_login(therapist)
        session = (
            TherapySession.objects.filter(
                therapist=therapist, starts_at__gte=start, starts_at__lt=end
            )
            .order_by("starts_at")
            .first()
        )
        client_path = f"/clients/{session.client_id}/"
        captured(http, "/today/")  # the session's first request loads more
        captured(http, client_path)
        today_sql = captured(http, "/today/")
        client_sql = captured(http, client_path)
        body = http.get("/today/").content.decode()
        counts.append(
            {
                "therapist": therapist.username,
                "today_statements": len(today_sql),
                "client_statements": len(client_sql),
                "today_bytes": len(body),
                "today_headings": re.findall(r"<h2 id=\"today-[a-z]+\">([^<]+)</h2>", body),
            }
        )
        if not statements:
            statements = {"/today/": today_sql, "/clients/<id>/": client_sql}
    timings = []
    for page, sqls in statements.items():
        for sql in sqls:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            timings.append({"page": page, "ms": timed(sql, args.runs), "sql": sql})
    timings.sort(key=lambda row: row["ms"], reverse=True)
    for row in timings[: args.plans]:
        row["plan"] = plan(row["sql"])
    result = {
        "vendor": connection.vendor,
        "counts": counts,
        "today_statement_counts": sorted({row["today_statements"] for row in counts}),
        "client_statement_counts": sorted({row["client_statements"] for row in counts}),
        "selects": timings,
    }
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
