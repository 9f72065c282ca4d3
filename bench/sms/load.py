"""Load run of check-in texts: 5,000 invitations through the worker, the provider slow and failing.

A fresh SQLite database in a temporary directory gets one therapist and N clients who agreed to
texts, each with a check-in (bulk-loaded: link hashes only).  A local server answering as Twilio's
Messages API does (``tests/measures/fake_twilio.py``) takes each request after ``--latency``
seconds and, by chance, answers 500 (8 %), 429 (4 %), nothing before the client's timeout
(2 %; the late answer creates no message) or takes the message and answers only after the
client's timeout (2 %: the provider has the message, the client never heard; the next try must
find it through the Messages list rather than send it again).  Every invitation is sent as on commit
(``invitations.deliver_invitation``), through the real ``twilio`` library; the passing failures are
retried by the real worker (``db_worker --batch``, the retry delay set to 0 so they are due at
once).  Then the provider's reports arrive for every message, shuffled, each one twice, "sent"
after "delivered" for some, one in ten "undelivered".

Counted afterwards: every check-in has one delivery; none still waiting; messages the provider
accepted = deliveries holding a provider id, and no check-in's text accepted twice; every report
recorded as its final state.

Usage: PYTHONPATH=src:. .venv/bin/python bench/sms/load.py [--invitations 5000] [--latency 0.01]
Prints one JSON line and appends it to bench/results/sms.jsonl.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import random
import secrets
import signal
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invitations", type=int, default=5000)
    parser.add_argument("--latency", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="attune-sms-load-")
    os.environ.update(
        {
            "ATTUNE_VAR_DIR": var,
            "ATTUNE_AUTOGENERATE_SECRETS": "true",
            "ATTUNE_HTTPS": "false",
            "ATTUNE_LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "attune.config.settings",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone
    from tests.measures.fake_twilio import ACCOUNT, FakeTwilio

    from attune.access.models import AccessEvent, Role, StaffUser
    from attune.clients.models import Client, ClientLink
    from attune.measures import delivery as delivery_services
    from attune.measures import invitations, services
    from attune.measures.models import CheckIn, MessageDelivery

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    timeout = 0.5

    def chance():
        roll = rng.random()
        if roll < 0.08:
            return 500, {"code": 20500, "message": "Internal Server Error", "status": 500}
        if roll < 0.12:
            return 429, {"code": 20429, "message": "Too Many Requests", "status": 429}
        if roll < 0.14:
            return 0, {"seconds": timeout + 0.2}
        if roll < 0.16:
            return -1, {"seconds": timeout + 0.2}
        return None

    server = FakeTwilio(latency=args.latency, chance=chance)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.ATTUNE_SMS_BACKEND = "attune.measures.sms.TwilioSmsBackend"
    settings.ATTUNE_TWILIO_ACCOUNT_SID = ACCOUNT
    settings.ATTUNE_TWILIO_AUTH_TOKEN = secrets.token_hex(16)
    settings.ATTUNE_TWILIO_FROM = "+15555550100"
    settings.ATTUNE_TWILIO_API_BASE_URL = server.base_url
    settings.ATTUNE_SMS_TIMEOUT_SECONDS = timeout
    settings.ATTUNE_SMS_RETRY_SECONDS = 0
    settings.ATTUNE_SMS_QUIET_HOURS = ""
    settings.ATTUNE_AGENCY_NAME = "Riverside Counselling"

    # The agency: bulk-loaded, as the other benchmarks do.
    therapist = StaffUser.objects.create(
        username="bench-therapist", role=Role.THERAPIST, display_name="Bench Therapist"
    )
    n = args.invitations
    Client.objects.bulk_create(
        Client(
            case_code=f"S{i:06d}",
            chosen_name=f"Client {i}",
            phone=f"(555) {200 + i // 10000:03d}-{i % 10000:04d}",
            contact_consent="sms",
            therapist=therapist,
        )
        for i in range(n)
    )
    clients = list(Client.objects.order_by("pk").only("pk"))
    now = timezone.now()
    tokens = [secrets.token_urlsafe(32) for _ in range(n)]

    ClientLink.objects.bulk_create(
        ClientLink(
            client=client,
            purpose="checkin",
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            created_by=therapist,
            expires_at=now + timedelta(days=4),
        )
        for client, token in zip(clients, tokens, strict=True)
    )
    links = list(ClientLink.objects.order_by("pk"))
    instrument = services.bundled_instrument_stored("session-checkin")
    CheckIn.objects.bulk_create(
        CheckIn(
            client_id=link.client_id,
            instrument=instrument,
            link=link,
            sent_by=therapist,
            sent_at=link.created_at,
            expires_at=link.expires_at,
            goal_texts={},
        )
        for link in links
    )
    checkins = list(CheckIn.objects.order_by("pk").values_list("pk", "client_id", "expires_at"))

    # Every invitation, as on commit, in process.
    started = time.perf_counter()
    outcomes = collections.Counter()
    for (checkin_id, client_id, expires_at), token in zip(checkins, tokens, strict=True):
        sent = invitations.deliver_invitation(
            client_id=client_id,
            url=f"https://attune.example.org/c/{token}/",
            expires_at=expires_at,
            checkin_id=checkin_id,
        )
        outcomes["in process: " + ("taken or queued" if sent else "failed")] += 1
    in_process = time.perf_counter() - started
    waiting_after_first = MessageDelivery.objects.filter(state="pending").count()

    # The worker: every retry due at once; it runs until nothing is due.
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    worker_started = time.perf_counter()
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
    )
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    worker = time.perf_counter() - worker_started

    # The provider's reports: shuffled, each twice, "sent" after "delivered" for some.
    sids = list(
        MessageDelivery.objects.exclude(provider_sid=None).values_list("provider_sid", flat=True)
    )
    final = {sid: ("undelivered" if rng.random() < 0.1 else "delivered") for sid in sids}
    reports = []
    for sid, state in final.items():
        code = "30006" if state == "undelivered" else ""
        reports += [(sid, "sent", ""), (sid, state, code), (sid, state, code)]
        if rng.random() < 0.3:
            reports.append((sid, "sent", ""))  # late, after the final one
    rng.shuffle(reports)
    reports_started = time.perf_counter()
    for sid, state, code in reports:
        delivery_services.sms_status_record(sid=sid, status=state, error_code=code)
    reports_time = time.perf_counter() - reports_started
    server.shutdown()

    # Counting.
    deliveries = MessageDelivery.objects.filter(channel="sms", purpose="invitation")
    states = collections.Counter(deliveries.values_list("state", flat=True))
    bodies = collections.Counter(form["Body"] for form in server.accepted)
    twice = sum(1 for count in bodies.values() if count > 1)
    with_sid = deliveries.exclude(provider_sid=None).count()
    recorded_ok = all(
        state == final[sid]
        for sid, state in deliveries.exclude(provider_sid=None).values_list("provider_sid", "state")
    )
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "invitations": n,
        "latency_s": args.latency,
        "requests_to_provider": len(server.received),
        "messages_accepted": server.count,
        "deliveries": deliveries.count(),
        "deliveries_with_provider_id": with_sid,
        "accepted_twice_for_one_checkin": twice,
        "waiting_after_first_try": waiting_after_first,
        "still_waiting": states.get("pending", 0),
        "given_up": states.get("failed", 0),
        "unanswered_tries": deliveries.exclude(unsure_since=None).count(),
        "found_by_lookup": AccessEvent.objects.filter(
            detail__contains="found at the provider"
        ).count(),
        "list_requests": len(server.lists),
        "states": dict(states),
        "every_report_recorded_as_final": recorded_ok,
        "reports": len(reports),
        "seconds_in_process": round(in_process, 1),
        "seconds_worker": round(worker, 1),
        "seconds_reports": round(reports_time, 1),
        "lost": n - deliveries.count(),
    }
    line = json.dumps(result)
    print(line)
    results = ROOT / "bench" / "results" / "sms.jsonl"
    with results.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
    ok = (
        result["lost"] == 0
        and twice == 0
        and with_sid == server.count
        and result["still_waiting"] == 0
        and recorded_ok
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
