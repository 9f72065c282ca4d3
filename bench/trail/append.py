"""Concurrent trail writers on PostgreSQL: entries appended per second, with and without a lock.

Each of ``--writers`` threads runs ``--transactions`` transactions, each writing ``--entries``
trail entries the way a check-in submission does (one batch at the end of its transaction) and
then doing ``--work-ms`` of other statements' worth of waiting before it commits, as a real
transaction does.  With writers that lock the chain head, every transaction holds the one lock
from its trail write to its commit; with a sealer apart from the writers, none waits.  Run the
same script against two checkouts (PYTHONPATH) to compare; it prints one JSON line.

Usage: PYTHONPATH=src .venv/bin/python bench/trail/append.py [--writers 16] [--transactions 200]
       [--entries 3] [--work-ms 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

DATABASE = "attune_bench_trail"
ADMIN = os.environ.get("PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--transactions", type=int, default=200)
    parser.add_argument("--entries", type=int, default=3)
    parser.add_argument("--work-ms", type=float, default=2.0)
    args = parser.parse_args()
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    os.environ["DATABASE_URL"] = ADMIN.rsplit("/", 1)[0] + "/" + DATABASE
    os.environ.setdefault("ATTUNE_AUTOGENERATE_SECRETS", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from attune.access import trail
    from attune.access.actor import Actor

    barrier = threading.Barrier(args.writers + 1)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(args.transactions):
                with transaction.atomic():
                    batch = [
                        trail.Entry(Actor.system(), "view", detail=f"{n}-{i}-{k}")
                        for k in range(args.entries)
                    ]
                    trail.record_many(batch)
                    time.sleep(args.work_ms / 1000)  # the rest of the transaction
        except BaseException as error:  # noqa: BLE001 - printed below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(args.writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    sealing = time.perf_counter()
    sealed = trail.seal() if hasattr(trail, "seal") else 0
    seal_seconds = time.perf_counter() - sealing
    result = trail.verify()
    written = args.writers * args.transactions * args.entries
    print(
        json.dumps(
            {
                "bench": "trail-append",
                "sealer_apart": hasattr(trail, "seal"),
                "writers": args.writers,
                "transactions": args.writers * args.transactions,
                "entries": written,
                "work_ms": args.work_ms,
                "seconds": round(seconds, 2),
                "transactions_per_second": round(args.writers * args.transactions / seconds, 1),
                "entries_per_second": round(written / seconds, 1),
                "sealed_after": sealed,
                "seal_seconds": round(seal_seconds, 2),
                "verified": result.checked,
                "trail_ok": result.ok,
                "errors": [repr(e) for e in errors[:3]],
            }
        )
    )
    connection.close()
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True
    )
    return 0 if result.ok and not errors and result.checked == written else 1


if __name__ == "__main__":
    sys.exit(main())
