"""Load test of the caseload and client pages: 20,000 clients, 200 therapists, 16 users.

For each database (SQLite, PostgreSQL) this seeds the synthetic agency, serves it with gunicorn
as ``attune serve`` does, signs 16 therapists in through the real sign-in form, and drives them
with wrk: every user alternates between their caseload and one of their clients' overviews (each
overview is a trailed read).  Two runs per database: closed loop (no pause between clicks, the
server's ceiling) and with a think time of about a second, closer to people at work.

Usage: .venv/bin/python bench/caseload/run.py [--clients 20000] [--therapists 200]
       [--seconds 30] [--backends sqlite,postgres] [--workers 3] [--threads 2]
Prints one JSON line per run and writes them to bench/results/caseload.jsonl.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ATTUNE = str(ROOT / ".venv" / "bin" / "attune")
PASSWORD = "attune-demo-2026"  # noqa: S105 - the synthetic agency's published password
PORT = 8765
USERS = 16
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")


def run(args: list[str], env: dict) -> None:
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare_database(backend: str, var_dir: Path) -> dict:
    env = {
        **os.environ,
        "ATTUNE_VAR_DIR": str(var_dir),
        "ATTUNE_AUTOGENERATE_SECRETS": "true",
        "ATTUNE_HTTPS": "false",
        "ATTUNE_REQUIRE_MFA": "false",
        "ATTUNE_LOG_LEVEL": "ERROR",
        "ATTUNE_LINK_OPENS_PER_MINUTE": "1000",
        "DATABASE_URL": "",
    }
    if backend == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS attune_bench")
            admin.execute("CREATE DATABASE attune_bench")
        env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/attune_bench"
    return env


def sign_in(base: str, username: str, listed_on: str = "/caseload/") -> tuple[str, list[str]]:
    """Sign in through the form; return the session cookie header and the client pages that
    ``listed_on`` links to (by default the caseload: sign-in lands on Today, which lists only
    today's clients).
    """
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/sign-in/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(f"{base}/sign-in/", data=form, headers={"Referer": base})
    opener.open(request).read()
    listing = opener.open(f"{base}{listed_on}").read().decode()
    paths = sorted(set(re.findall(r'href="(/clients/\d+/)"', listing)))
    if not paths:
        raise RuntimeError(f"{username} found no client on {listed_on}")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, paths


def server_times(access_log: Path) -> list[int]:
    """Return the server-side milliseconds of each request in gunicorn's access log."""
    if not access_log.exists():
        return []
    lines = access_log.read_text(encoding="utf-8").splitlines()
    return sorted(int(line.rsplit(" ", 1)[1].removesuffix("ms")) for line in lines if line)


def percentile(sorted_values: list[int], p: float) -> int | None:
    """Return the nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return None
    rank = max(1, round(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def wait_until_up(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - localhost
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def seed_agency(env: dict, args) -> float:
    """Migrate and seed the synthetic agency (``--clients``, ``--therapists``); return seconds."""
    run([ATTUNE, "manage", "migrate", "-v", "0"], env)
    started = time.perf_counter()
    run(
        [
            ATTUNE,
            "seed",
            "--clients",
            str(args.clients),
            "--therapists",
            str(args.therapists),
            "--supervisors",
            "10",
        ],
        env,
    )
    return time.perf_counter() - started


def start_server(env: dict, args, access_log: Path) -> subprocess.Popen:
    """Start ``attune serve`` on PORT (``--workers`` x ``--threads``), logging each request."""
    return subprocess.Popen(
        [
            ATTUNE,
            "serve",
            "--access-log",
            str(access_log),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def bench_backend(backend: str, args) -> list[dict]:
    var_dir = Path(tempfile.mkdtemp(prefix=f"attune-bench-{backend}-"))
    env = prepare_database(backend, var_dir)
    seed_seconds = seed_agency(env, args)
    base = f"http://127.0.0.1:{PORT}"
    access_log = var_dir / "access.log"
    server = start_server(env, args, access_log)
    results = []
    try:
        wait_until_up(base)
        users = [sign_in(base, f"therapist{n}") for n in range(1, USERS + 1)]
        spec = "~".join(f"{cookie}|{','.join(paths)}" for cookie, paths in users)
        # Warm every worker thread (connections, compiled templates) before measuring.
        for think_ms in (None, 0, 1000):
            wrk_env = {**os.environ, "BENCH_USERS": spec, "BENCH_THINK_MS": str(think_ms or 0)}
            seconds = 5 if think_ms is None else args.seconds
            output = subprocess.run(
                [
                    "wrk",
                    "-t",
                    str(USERS),
                    "-c",
                    str(USERS),
                    "-d",
                    f"{seconds}s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(Path(__file__).with_name("users.lua")),
                    base,
                ],
                env=wrk_env,
                capture_output=True,
                text=True,
                check=True,
            )
            server_ms = server_times(access_log)
            access_log.write_text("")  # each run reads only its own requests
            if think_ms is None:
                continue
            figures = json.loads(output.stdout.strip().splitlines()[-1])
            figures.update(
                backend=backend,
                users=USERS,
                think_ms=think_ms,
                clients=args.clients,
                therapists=args.therapists,
                workers=args.workers,
                threads=args.threads,
                seed_seconds=round(seed_seconds, 1),
                requests_per_second=round(figures["requests"] / figures["seconds"], 1),
                server_p50_ms=percentile(server_ms, 50),
                server_p95_ms=percentile(server_ms, 95),
                server_p99_ms=percentile(server_ms, 99),
                server_max_ms=max(server_ms, default=None),
            )
            print(json.dumps(figures), flush=True)
            results.append(figures)
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(var_dir, ignore_errors=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20000)
    parser.add_argument("--therapists", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    out = ROOT / "bench" / "results" / "caseload.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as sink:
        for backend in args.backends.split(","):
            for figures in bench_backend(backend, args):
                sink.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
