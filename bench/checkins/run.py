"""Load test of check-in submissions: 10,000 answers from 32 concurrent clients on PostgreSQL.

Seeds a synthetic agency in a fresh PostgreSQL database and sends every client check-ins through
the real service (each a private link), serves Attune with gunicorn as ``attune serve`` does on
127.0.0.1, and drives it from 32 threads on loopback.  Each simulated client opens its link
(token exchanged for a session), loads the form, and sends answers; one in twenty sends the same
form a second time, as a double click or a retry would.  With ``--fill-seconds`` each client
spends about that long on the form before sending, as a person would; without it they never
pause, which measures the server's ceiling.  Afterwards the database is counted:
every link used once, exactly one response per check-in, none lost, none duplicated, and the
access trail's hash chain intact.

Usage: .venv/bin/python bench/checkins/run.py [--checkins 10000] [--concurrency 32]
       [--clients 2000] [--workers 3] [--threads 4] [--fill-seconds 0]
Prints one JSON line and appends it to bench/results/checkins.jsonl.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from attune.measures.bundled import session_checkin_ratings

ROOT = Path(__file__).resolve().parents[2]
ATTUNE = str(ROOT / ".venv" / "bin" / "attune")
PORT = 8766
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = "attune_bench_checkins"
RATINGS = session_checkin_ratings()  # the form names them p1-<linkId>
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def environment(var_dir: Path) -> dict:
    return {
        **os.environ,
        "ATTUNE_VAR_DIR": str(var_dir),
        "ATTUNE_AUTOGENERATE_SECRETS": "true",
        "ATTUNE_HTTPS": "false",
        "ATTUNE_REQUIRE_MFA": "false",
        "ATTUNE_LOG_LEVEL": "ERROR",
        "ATTUNE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Every simulated client comes from 127.0.0.1; the per-address limit is for strangers.
        "ATTUNE_LINK_OPENS_PER_MINUTE": "1000000",
        "DATABASE_URL": PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + DATABASE,
        "DJANGO_SETTINGS_MODULE": "attune.config.settings",
    }


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")


SEED = """
import sys
from django.db import transaction
from attune.access.actor import Actor
from attune.clients.models import Client
from attune.demo.agency import generate_agency
from attune.measures import services

clients, checkins, base = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
generate_agency(clients=clients, therapists=max(1, clients // 100), supervisors=1, identities=False)
# Skip the language choice: each client already chose English for Attune's pages.
Client.objects.update(page_language="en", contact_consent="none")
everyone = list(Client.objects.select_related("therapist").order_by("pk"))
with open(sys.argv[4], "w") as out:
    for n in range(checkins):
        client = everyone[n % len(everyone)]
        with transaction.atomic():
            sent = services.checkin_send(
                actor=Actor(user=client.therapist), client=client, base_url=base
            )
        out.write(sent.url.rsplit("/c/", 1)[1].strip("/") + "\\n")
"""

COUNT = """
import json
from django.db.models import Count
from attune.clients.models import ClientLink
from attune.measures.models import CheckIn, Response, Signal
from attune.access import trail
# Entries written in the last seconds of the run may still wait for the sealer; seal them, as the
# next run of the sealer would, so the whole chain is verified.  (Older code has no sealer.)
pending = trail.verify().pending if hasattr(trail, "seal") else 0
if hasattr(trail, "seal"):
    trail.seal()
result = trail.verify()
per_checkin = Response.objects.values("checkin").annotate(n=Count("id"))
print(json.dumps({
    "checkins": CheckIn.objects.count(),
    "links_used": ClientLink.objects.filter(purpose="checkin", used_at__isnull=False).count(),
    "responses": Response.objects.count(),
    "checkins_with_a_response": per_checkin.count(),
    "checkins_with_two_or_more": per_checkin.filter(n__gt=1).count(),
    "signals": Signal.objects.count(),
    "trail_entries_checked": result.checked,
    "trail_entries_awaiting_seal_after_run": pending,
    "trail_ok": result.ok,
}))
"""


def django_script(script: str, env: dict, *args: str) -> str:
    command = [
        str(ROOT / ".venv" / "bin" / "python"),
        "-c",
        "import django; django.setup()\n" + script,
    ]
    done = subprocess.run([*command, *args], env=env, check=True, capture_output=True, text=True)
    return done.stdout


def wait_until_up(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


# What a kept-alive connection the server has closed while idle raises on its next request.
CLOSED_WHILE_IDLE = (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected)


class Client:
    """One simulated client on a kept-alive loopback connection, with its own cookies.

    gunicorn closes a kept-alive connection after two idle seconds, so a client who spends
    longer on the form finds it closed. As a browser does, the client then opens a new
    connection and sends the request again (the server never read it); ``reconnects`` counts
    how often, and the time of the new connection is part of the request's.
    """

    def __init__(self) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        self.cookies: dict[str, str] = {}
        self.reconnects = 0

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except CLOSED_WHILE_IDLE:
            self.connection.close()
            self.reconnects += 1
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text


def answer_one(token: str, rng: random.Random, resend: bool, fill_seconds: float = 0.0) -> dict:
    client = Client()
    started = time.perf_counter()
    status, _ = client.request("GET", f"/c/{token}/")
    if status != 302:
        return {"ok": False, "stage": "open", "status": status}
    status, page = client.request("GET", "/c/")
    found = CSRF_FIELD.search(page)
    if status != 200 or not found:
        return {"ok": False, "stage": "form", "status": status}
    # Most sessions go well; some go badly, so signals are raised as they would be.
    centre = rng.choice([9, 9, 8, 8, 7, 3])
    fields = {"csrfmiddlewaretoken": found.group(1)}
    for link_id in RATINGS:
        if rng.random() > 0.05:  # clients skip a question now and then
            fields[f"p1-{link_id}"] = str(max(0, min(10, centre + rng.randint(-1, 1))))
    body = urllib.parse.urlencode(fields)
    if fill_seconds:
        # A person reads and answers before sending: between half and one and a half times it.
        time.sleep(fill_seconds * rng.uniform(0.5, 1.5))
    submit_started = time.perf_counter()
    status, _ = client.request("POST", "/c/", body)
    submit_seconds = time.perf_counter() - submit_started
    if status != 302:
        return {"ok": False, "stage": "submit", "status": status}
    if resend:
        client.request("POST", "/c/", body)
    client.connection.close()
    return {
        "ok": True,
        "submit": submit_seconds,
        "whole": time.perf_counter() - started,
        "resent": resend,
        "reconnects": client.reconnects,
    }


def drive(tokens: list[str], concurrency: int, fill_seconds: float) -> tuple[list[dict], float]:
    work: queue.Queue[str] = queue.Queue()
    for token in tokens:
        work.put(token)
    results: list[dict] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        while True:
            try:
                token = work.get_nowait()
            except queue.Empty:
                return
            try:
                outcome = answer_one(
                    token, rng, resend=rng.random() < 0.05, fill_seconds=fill_seconds
                )
            except OSError as error:
                outcome = {"ok": False, "stage": "network", "status": str(error)}
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkins", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--clients", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--fill-seconds",
        type=float,
        default=0.0,
        help="mean time a client spends on the form before sending (0: no pause, the ceiling)",
    )
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="attune-bench-checkins-"))
    env = environment(var_dir)
    fresh_database()
    subprocess.run([ATTUNE, "manage", "migrate", "-v", "0"], env=env, check=True)
    tokens_file = var_dir / "tokens.txt"
    base = f"http://127.0.0.1:{PORT}/"
    seeding = time.perf_counter()
    django_script(SEED, env, str(args.clients), str(args.checkins), base, str(tokens_file))
    seed_seconds = time.perf_counter() - seeding
    tokens = tokens_file.read_text().split()
    tokens_file.unlink()  # the tokens are the links themselves; keep them no longer than needed

    server = subprocess.Popen(
        [
            ATTUNE,
            "serve",
            "--with-worker",  # the task worker and the trail's sealer, as in production
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
    try:
        wait_until_up(base.rstrip("/"))
        results, seconds = drive(tokens, args.concurrency, args.fill_seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)

    succeeded = [result for result in results if result["ok"]]
    failed = [result for result in results if not result["ok"]]
    counts = json.loads(django_script(COUNT, env))
    submit = [result["submit"] for result in succeeded] or [float("nan")]
    whole = [result["whole"] for result in succeeded] or [float("nan")]
    summary = {
        "bench": "checkins",
        "database": "postgresql",
        "checkins": len(tokens),
        "concurrency": args.concurrency,
        "fill_seconds": args.fill_seconds,
        "gunicorn": f"{args.workers} workers x {args.threads} threads",
        "cpus": os.cpu_count(),
        "seed_seconds": round(seed_seconds, 1),
        "seconds": round(seconds, 1),
        "submissions_per_second": round(len(succeeded) / seconds, 1),
        "submit_p50_ms": round(statistics.median(submit) * 1000, 1),
        "submit_p95_ms": round(percentile(submit, 0.95) * 1000, 1),
        "submit_p99_ms": round(percentile(submit, 0.99) * 1000, 1),
        "open_form_submit_p95_ms": round(percentile(whole, 0.95) * 1000, 1),
        "succeeded": len(succeeded),
        "resent_twice": sum(1 for result in succeeded if result["resent"]),
        "reconnected_after_idle": sum(result["reconnects"] for result in succeeded),
        "failed": len(failed),
        "failures": failed[:5],
        **counts,
        "lost": len(succeeded) - counts["checkins_with_a_response"],
        "duplicated": counts["checkins_with_two_or_more"],
    }
    line = json.dumps(summary)
    print(line)
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    with open(results_dir / "checkins.jsonl", "a", encoding="utf-8") as out:
        out.write(line + "\n")
    ok = not failed and summary["lost"] == 0 and summary["duplicated"] == 0 and counts["trail_ok"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
