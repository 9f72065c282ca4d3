"""A local HTTP server that answers as Twilio's Messages API is documented to answer.

``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` with a form body (``To``, ``From`` or
``MessagingServiceSid``, ``Body``, ``StatusCallback``) and HTTP basic auth, answered 201 with the
message as JSON (``sid``, ``status: "queued"``…).  ``plan`` holds answers to give first (a 500,
a 429, a 400 with Twilio's error code); ``latency`` and ``chance`` make it slow and sometimes
failing for load runs.  Used by the tests and by ``bench/sms/load.py``.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT = "AC" + "0" * 32


class FakeTwilio(ThreadingHTTPServer):
    """Twilio's Messages resource, as documented; ``plan`` holds the answers to give first."""

    daemon_threads = True

    def __init__(self, *, latency: float = 0.0, chance=None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[dict] = []
        self.accepted: list[dict] = []  # the requests that created a message
        self.plan: list[tuple[int, dict]] = []
        self.count = 0
        self.lock = threading.Lock()
        # For load runs: seconds each answer takes, and a function returning an answer to give
        # instead of accepting (a failure), or None to accept.
        self.latency = latency
        self.chance = chance

    def handle_error(self, request, client_address):
        pass  # a client that gave up (its timeout) closed the connection: nothing to report

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # no request lines on the test's output
        pass

    def do_POST(self):  # noqa: N802
        server: FakeTwilio = self.server
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        expected = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
        if self.path != expected or not self.headers.get("Authorization", "").startswith("Basic "):
            self._answer(404, {"code": 20404, "message": "not found", "status": 404})
            return
        if server.latency:
            time.sleep(server.latency)
        with server.lock:
            server.received.append(form)
            planned = server.plan.pop(0) if server.plan else None
            if planned is None and server.chance is not None:
                planned = server.chance()
            if planned is None:
                server.count += 1
                server.accepted.append(form)
                sid = f"SM{server.count:032d}"
        if planned is not None:
            status, payload = planned
            if status == 0:  # no answer in time: the client's timeout, nothing created
                time.sleep(payload["seconds"])
                status, payload = 500, {"code": 20500, "message": "late", "status": 500}
            self._answer(status, payload)
            return
        self._answer(
            201,
            {
                "sid": sid,
                "account_sid": ACCOUNT,
                "to": form.get("To"),
                "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "body": form.get("Body"),
                "status": "queued",
                "num_segments": "1",
                "direction": "outbound-api",
                "error_code": None,
                "error_message": None,
                "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}.json",
            },
        )

    def _answer(self, status: int, payload: dict):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
