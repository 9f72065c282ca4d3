"""Time the nightly expected-response fit end to end on PostgreSQL: reading the rows, then fitting.

Fills ``measures_response`` of the database in ``DATABASE_URL`` (a scratch database: everything in
it is replaced) with synthetic totals for ``--clients`` clients and ``--checkins`` session
check-ins, then runs ``fits.history_arrays`` (the read) and ``fits.fit_expected`` (read, fit, store)
as the task does.  The rows are written with the foreign-key triggers off
(``session_replication_role = replica``): only the columns the fit reads are realistic; clients,
check-ins and links are not created.  Needs a PostgreSQL superuser (trust on 127.0.0.1 here).

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/attune_bench_expected \\
       ATTUNE_AUTOGENERATE_SECRETS=true .venv/bin/python bench/expected/read_pg.py
       [--clients 250000] [--checkins 1750000]
Prints one JSON line and appends it to bench/results/expected.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250_000)
    parser.add_argument("--checkins", type=int, default=1_750_000)
    arguments = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from attune.access.actor import Actor
    from attune.measures import fits, services

    if connection.vendor != "postgresql":
        raise SystemExit("needs PostgreSQL in DATABASE_URL")
    call_command("migrate", verbosity=0)
    stored = services.bundled_instrument_stored("session-checkin")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE measures_response CASCADE")
        cursor.execute("SET session_replication_role = replica")
        # Client c has n_c check-ins (one to thirteen, seven on average); totals drift upwards.
        cursor.execute(
            """
            INSERT INTO measures_response (checkin_id, client_id, instrument_id, answers, total,
                band, subscales, items_answered, items_missing, safety_items, score_problem,
                submitted_at)
            SELECT row_number() OVER (), c, %s, '', LEAST(10, 4 + random() * 4 + s * 0.2),
                '', '{}', 8, 0, '[]', '', now() - (c %% 400 || ' days')::interval
                    + (s || ' days')::interval
            FROM generate_series(1, %s) AS c,
                 generate_series(1, 1 + (hashtext(c::text) & 2147483647) %% 13) AS s
            LIMIT %s
            """,
            [stored.pk, arguments.clients, arguments.checkins],
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE measures_response")
        cursor.execute("SELECT count(*), count(DISTINCT client_id) FROM measures_response")
        rows, clients = cursor.fetchone()
    filled = time.perf_counter() - started
    started = time.perf_counter()
    client_ids, _, totals = fits.history_arrays("session-checkin")
    read = time.perf_counter() - started
    started = time.perf_counter()
    stored_fit = fits.fit_expected(actor=Actor.system())
    whole = time.perf_counter() - started
    line = {
        "bench": "expected-response fit from PostgreSQL",
        "rows": rows,
        "clients": clients,
        "read_seconds": round(read, 2),
        "fit_expected_seconds": round(whole, 2),
        "read_and_fit_seconds_recorded": stored_fit.seconds,
        "fill_seconds": round(filled, 1),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }
    assert client_ids.size == totals.size == rows
    print(json.dumps(line))
    results = Path(__file__).resolve().parents[1] / "results"
    with open(results / "expected.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
