"""Two app servers (separate gunicorn masters, each with its worker and trail sealer) on one
PostgreSQL: what a client or an attacker does on one is seen by the other.

A client opens their link on one server and sends the form through the other, some twice, from
several threads at once: every check-in is stored exactly once.  Failed sign-ins alternate between
the servers and still lock the account at the limit.  Afterwards the trail, written by both
servers' workers and sealed by both sealers, verifies whole with nothing left unsealed.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest
from django.conf import settings
from django.db import connection

from attune.access import trail
from attune.access.models import AccessEvent, TrailAction
from attune.measures.models import Response
from tests.conftest import PASSWORD
from tests.measures.checkins import RATINGS, send_checkin

LINK_OPENS_PER_MINUTE = 40
CHECKINS = 24
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One person's cookies, sent to whichever server a request goes to."""

    def __init__(self, address: str = "127.0.0.1") -> None:
        self.cookies: dict[str, str] = {}
        self.address = address

    def request(self, port: int, method: str, path: str, fields: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection_.request(method, path, body=body, headers=headers)
            response = connection_.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection_.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text


def answer_across(token: str, first: int, second: int, resend: bool) -> str:
    """Open the link on ``first``, send the form to ``second``; return how it went."""
    person = Browser()
    status, _ = person.request(first, "GET", f"/c/{token}/")
    if status != 302:
        return f"open {status}"
    status, page = person.request(second, "GET", "/c/")
    found = CSRF_FIELD.search(page)
    if status != 200 or not found:
        return f"form {status}"
    fields = {"csrfmiddlewaretoken": found.group(1)}
    fields.update({f"p1-{link_id}": "8" for link_id in RATINGS})
    status, page = person.request(second, "POST", "/c/", fields)
    if status != 302:
        return f"submit {status}"
    if resend:  # a double click, or a retry, on the other server
        person.request(first, "POST", "/c/", fields)
    return "ok"


def sign_in(port: int, username: str, password: str) -> int:
    person = Browser()
    status, page = person.request(port, "GET", "/sign-in/")
    token = CSRF_FIELD.search(page).group(1)
    fields = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    status, _ = person.request(port, "POST", "/sign-in/", fields)
    return status


@pytest.fixture
def two_servers(agency):
    """Start two ``attune serve --with-worker`` processes on the test database; stop both."""
    if connection.vendor != "postgresql":
        pytest.skip("two servers share one PostgreSQL; SQLite is for a single server")
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ATTUNE_SECRET_KEY": settings.SECRET_KEY,
        "ATTUNE_FIELD_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "ATTUNE_LOG_LEVEL": "ERROR",
        "ATTUNE_LINK_OPENS_PER_MINUTE": str(LINK_OPENS_PER_MINUTE),
    }
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(  # noqa: S603 - the test's own interpreter and package
            [sys.executable, "-m", "attune.cli", "serve", "--with-worker", "--bind",
             f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for port in ports
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        for port in ports:
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "a server did not start"
                    time.sleep(0.3)
        yield ports
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_servers_store_each_checkin_once_lock_together_and_keep_one_trail(agency, two_servers):
    one, other = two_servers
    clients = [agency.client_a, agency.client_b]
    for client in clients:  # they chose their language before: the form comes straight away
        client.page_language = "en"
        client.save(update_fields=["page_language"])
    tokens = [
        send_checkin(clients[n % 2]).url.rsplit("/c/", 1)[1].strip("/") for n in range(CHECKINS)
    ]
    outcomes: list[str] = []
    rng = random.Random(7)
    plan = [(token, *rng.sample([one, other], 2), rng.random() < 0.3) for token in tokens]

    def run(part: list) -> None:
        for token, first, second, resend in part:
            outcomes.append(answer_across(token, first, second, resend))

    threads = [threading.Thread(target=run, args=(plan[n::6],)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["ok"] * len(tokens)
    assert Response.objects.count() == len(tokens)
    assert Response.objects.values("checkin").distinct().count() == len(tokens)

    # Link opens from one address are limited across both servers, not per server: after the
    # 24 good opens, bad ones alternating between the servers hit the one limit of 40.
    attempts = 0
    while True:
        attempts += 1
        status, _ = Browser().request([one, other][attempts % 2], "GET", f"/c/no-such-{attempts}/")
        if status == 429 or attempts > LINK_OPENS_PER_MINUTE:
            break
    assert status == 429
    assert attempts <= LINK_OPENS_PER_MINUTE - CHECKINS + 1

    # Failed sign-ins alternate between the servers: the lock is shared, in the database.
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in([one, other][attempt % 2], "ana", "guess") == 200
    assert sign_in(other, "ana", "guess") == 429
    assert sign_in(one, "ana", PASSWORD) == 429  # locked on the first server too

    # Both sealers chain what both servers wrote, within seconds.
    deadline = time.monotonic() + 30
    while AccessEvent.objects.filter(seq__isnull=True).exists():
        assert time.monotonic() < deadline, "entries were left unsealed"
        time.sleep(0.5)
    result = trail.verify()
    assert result.ok, result.problem
    assert result.pending == 0
    assert AccessEvent.objects.filter(action=TrailAction.LOCKED_OUT).exists()
    assert AccessEvent.objects.filter(object_type="measure_response").count() == len(tokens)
