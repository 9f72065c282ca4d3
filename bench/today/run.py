"""Load test of the therapist's loop: the Today page and a client's overview, at agency size.

For each database (SQLite, PostgreSQL) this seeds the synthetic agency (``attune seed``: 20,000
clients, 200 therapists), adds two years of history to it (``attune.demo.load``: 500,000
session check-ins with their used links and encrypted answers, held sessions, signals, plans,
repair logs, and about four sessions today for every therapist), counts and explains the
statements of both pages (``check_queries.py``), serves it with gunicorn as ``attune serve``
does, signs 16 therapists in through the real sign-in form, and drives them with wrk: every user
alternates between their Today page and the overview of one of the clients it lists (both are
trailed reads).  Two runs per database: closed loop (no pause between clicks, the server's
ceiling) and with a think time of about a second, closer to people at work.

The helpers (database preparation, sign-in, percentiles, the wrk script's users) are the
caseload benchmark's, imported from ``bench/caseload``.  The warm-up and the measured runs hold
the lock file ``/tmp/attune-bench.lock`` (flock), so benchmarks sharing the machine do not
overlap, and each run records ``uptime`` (the machine's load) just before it starts.

``--index SQL`` (repeatable) runs statements after loading, to try an index before proposing
it; with ``--compare`` both rounds are measured on the same data: first without, then with.

Usage: .venv/bin/python bench/today/run.py [--clients 20000] [--therapists 200]
       [--checkins 500000] [--seconds 30] [--backends sqlite,postgres] [--workers 3]
       [--threads 2] [--reuse-ciphertexts] [--index SQL ...] [--compare] [--no-check]
       [--prepare-only]
Prints one JSON line per run and appends them to bench/results/today.jsonl.
"""

from __future__ import annotations

import argparse
import fcntl
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
LOCK = "/tmp/attune-bench.lock"  # noqa: S108 - the lock benchmarks on this machine share
DATABASE = "attune_bench_today"


def _caseload():
    """Import the caseload benchmark's module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "caseload_run", HERE.parent / "caseload" / "run.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


caseload = _caseload()

LOAD = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
import django
django.setup()
from attune.demo.load import load_history
summary = load_history(checkins=int(sys.argv[1]), reuse_ciphertexts=sys.argv[2] == "reuse")
print(json.dumps(summary.as_dict()))
"""


def prepare_database(backend: str, var_dir: Path) -> dict:
    """The caseload benchmark's environment, with a database of this benchmark's own."""
    env = caseload.prepare_database("sqlite", var_dir)
    if backend == "postgres":
        import psycopg

        with psycopg.connect(caseload.PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
            admin.execute(f"CREATE DATABASE {DATABASE}")
        env["DATABASE_URL"] = caseload.PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + DATABASE
    return env


def execute_sql(env: dict, statements: list[str]) -> None:
    """Run statements on the benchmark database (to try an index before proposing it)."""
    code = (
        "import os, sys, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'attune.config.settings')\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    for statement in sys.argv[1:]:\n"
        "        cursor.execute(statement)\n"
        "    cursor.execute('ANALYZE')\n"
    )
    subprocess.run([PYTHON, "-c", code, *statements], env=env, check=True)


def times_by_page(access_log: Path) -> dict[str, list[int]]:
    """Return the server-side milliseconds of each request in gunicorn's log, by page."""
    pages: dict[str, list[int]] = {"today": [], "client": []}
    if not access_log.exists():
        return pages
    for line in access_log.read_text(encoding="utf-8").splitlines():
        if not line:
            continue
        path = line.split('"', 2)[1].split(" ")[1]
        ms = int(line.rsplit(" ", 1)[1].removesuffix("ms"))
        pages["today" if path == "/today/" else "client"].append(ms)
    return {page: sorted(values) for page, values in pages.items()}


def env_summary(env: dict) -> str:
    return " ".join(
        f"{name}={env[name]}" for name in ("DATABASE_URL", "ATTUNE_VAR_DIR") if env.get(name)
    )


def load_average() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def bench_backend(backend: str, args) -> list[dict]:
    var_dir = Path(tempfile.mkdtemp(prefix=f"attune-bench-today-{backend}-"))
    env = prepare_database(backend, var_dir)
    seed_seconds = caseload.seed_agency(env, args)
    loaded = subprocess.run(
        [PYTHON, "-c", LOAD, str(args.checkins), "reuse" if args.reuse_ciphertexts else "field"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    history = json.loads(loaded.stdout.strip().splitlines()[-1])
    history["seed_seconds"] = round(seed_seconds, 1)
    print(f"# {backend}: seeded in {seed_seconds:.0f} s; history {history}", file=sys.stderr)
    if args.index and not args.compare:
        execute_sql(env, args.index)
    if not args.no_check:
        checked = subprocess.run(
            [PYTHON, str(HERE / "check_queries.py")],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
        check_file = var_dir.parent / f"attune-bench-today-{backend}-queries.json"
        check_file.write_text(checked.stdout, encoding="utf-8")
        check = json.loads(checked.stdout)
        print(
            f"# {backend}: statements per page, today {check['today_statement_counts']}, "
            f"client {check['client_statement_counts']}; slowest SELECTs (ms) "
            f"{[(row['page'], row['ms']) for row in check['selects'][:6]]}; "
            f"plans in {check_file}",
            file=sys.stderr,
        )
    if args.prepare_only:
        print(f"# {backend}: prepared; environment: {env_summary(env)}", file=sys.stderr)
        return []
    base = f"http://127.0.0.1:{caseload.PORT}"
    access_log = var_dir / "access.log"
    server = caseload.start_server(env, args, access_log)
    results = []
    try:
        caseload.wait_until_up(base)
        # Signing in lands on Today: the client pages of the loop are the ones it links to.
        users = [
            caseload.sign_in(base, f"therapist{n}", "/today/") for n in range(1, caseload.USERS + 1)
        ]
        spec = "~".join(f"{cookie}|{','.join(paths)}" for cookie, paths in users)
        rounds = [[], args.index] if args.compare else [args.index or []]
        for indexes in rounds:
            if args.compare and indexes:
                execute_sql(env, indexes)  # the same data, now with the proposed indexes
            results += measure_round(backend, args, base, spec, access_log, indexes, history)
            print(f"# {backend}: measured with indexes {indexes}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(var_dir, ignore_errors=True)
    return results


def measure_round(backend, args, base, spec, access_log, indexes, history) -> list[dict]:
    """Warm up, then the closed-loop run and the think-time run; return their figures."""
    results = []
    with open(LOCK, "w") as lock:  # noqa: PTH123 - held for the warm-up and both runs
        fcntl.flock(lock, fcntl.LOCK_EX)
        for think_ms in (None, 0, 1000):
            load_before = load_average()
            figures, pages = measure(base, spec, think_ms, args, access_log)
            if think_ms is not None:  # the warm-up (every thread connects, compiles) is not kept
                results.append(
                    record(figures, pages, backend, args, think_ms, indexes, history, load_before)
                )
    return results


def record(figures, pages, backend, args, think_ms, indexes, history, load_before) -> dict:
    """Add the run's settings, the load before it and the server-side times; print it."""
    figures.update(
        backend=backend,
        users=caseload.USERS,
        think_ms=think_ms,
        clients=args.clients,
        therapists=args.therapists,
        checkins=args.checkins,
        history=history,
        indexes=indexes,
        workers=args.workers,
        threads=args.threads,
        seed_seconds=history["seed_seconds"],
        load_seconds=history["seconds"],
        requests_per_second=round(figures["requests"] / figures["seconds"], 1),
        load_before=load_before,
        date=time.strftime("%Y-%m-%d %H:%M"),
    )
    everything = sorted(pages["today"] + pages["client"])
    for label, values in (("server", everything), *pages.items()):
        for p in (50, 95, 99):
            figures[f"{label}_p{p}_ms"] = caseload.percentile(values, p)
        figures[f"{label}_max_ms"] = max(values, default=None)
    print(json.dumps(figures), flush=True)
    return figures


def measure(base: str, spec: str, think_ms: int | None, args, access_log: Path):
    wrk_env = {
        **os.environ,
        "BENCH_USERS": spec,
        "BENCH_THINK_MS": str(think_ms or 0),
        "BENCH_CASELOAD_LUA": str(HERE.parent / "caseload" / "users.lua"),
    }
    seconds = 5 if think_ms is None else args.seconds
    output = subprocess.run(
        [
            "wrk",
            "-t",
            str(caseload.USERS),
            "-c",
            str(caseload.USERS),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(HERE / "users.lua"),
            base,
        ],
        env=wrk_env,
        capture_output=True,
        text=True,
        check=True,
    )
    time.sleep(0.5)  # let gunicorn write the last lines of its log
    pages = times_by_page(access_log)
    access_log.write_text("")  # each run reads only its own requests
    return json.loads(output.stdout.strip().splitlines()[-1]), pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20000)
    parser.add_argument("--therapists", type=int, default=200)
    parser.add_argument("--checkins", type=int, default=500000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--reuse-ciphertexts",
        action="store_true",
        help="encrypt each distinct answer set once (faster load; see attune.demo.load)",
    )
    parser.add_argument(
        "--index",
        action="append",
        help="an SQL statement run after loading (to measure a proposed index); repeatable",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="measure without the --index statements, then run them and measure again",
    )
    parser.add_argument("--no-check", action="store_true", help="skip counting and EXPLAIN")
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="seed, load and check, keep the database, and measure nothing",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "today.jsonl"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    for backend in args.backends.split(","):
        for figures in bench_backend(backend, args):
            with out.open("a", encoding="utf-8") as sink:
                sink.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
