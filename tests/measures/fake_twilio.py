"""A local HTTP server that answers as Twilio's Messages API is documented to answer.

``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` with a form body (``To``, ``From`` or
``MessagingServiceSid``, ``Body``, ``StatusCallback``) and HTTP basic auth, answered 201 with the
message as JSON (``sid``, ``status: "queued"``…).  ``plan`` holds answers to give first (a 500,
a 429, a 400 with Twilio's error code); ``latency`` and ``chance`` make it slow and sometimes
failing for load runs.  A planned answer ``(0, {"seconds": s})`` creates nothing and answers
after ``s`` seconds (past the client's timeout); ``(-1, {"seconds": s})`` creates the message
and then answers late: the provider took it but the client never heard.

``GET /2010-04-01/Accounts/{AccountSid}/Messages.json`` lists the messages created, newest
first, filtered by ``To``, ``DateSent>`` / ``DateSent<`` and ``From`` as documented, one page
(``PageSize``) at a time with ``next_page_uri``.  Every list request is kept in ``lists``.
Used by the tests and by ``bench/sms/load.py``.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

ACCOUNT = "AC" + "0" * 32


class FakeTwilio(ThreadingHTTPServer):
    """Twilio's Messages resource, as documented; ``plan`` holds the answers to give first."""

    daemon_threads = True

    def __init__(self, *, latency: float = 0.0, chance=None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[dict] = []
        self.accepted: list[dict] = []  # the requests that created a message
        self.messages: list[dict] = []  # the messages created, as the API shows them
        self.lists: list[dict] = []  # the list requests' query parameters
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
            message = None
            if planned is None or planned[0] == -1:
                server.count += 1
                server.accepted.append(form)
                message = _message(f"SM{server.count:032d}", form)
                server.messages.append(message)
        if planned is not None:
            status, payload = planned
            if status in (0, -1):  # no answer in time (-1: after creating the message)
                time.sleep(payload["seconds"])
                if status == -1:
                    self._answer(201, message)
                    return
                status, payload = 500, {"code": 20500, "message": "late", "status": 500}
            self._answer(status, payload)
            return
        self._answer(201, message)

    def do_GET(self):  # noqa: N802
        server: FakeTwilio = self.server
        parts = urlsplit(self.path)
        base = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
        if parts.path != base or not self.headers.get("Authorization", "").startswith("Basic "):
            self._answer(404, {"code": 20404, "message": "not found", "status": 404})
            return
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        size, page = int(query.get("PageSize", 50)), int(query.get("Page", 0))
        with server.lock:
            server.lists.append(query)
            found = [m for m in reversed(server.messages) if _matches(m, query)]
        chunk = found[page * size : (page + 1) * size]
        more = (page + 1) * size < len(found)
        following = {**query, "Page": page + 1, "PageSize": size}
        self._answer(
            200,
            {
                "messages": chunk,
                "page": page,
                "page_size": size,
                "uri": self.path,
                "first_page_uri": f"{base}?{urlencode({**query, 'Page': 0})}",
                "next_page_uri": f"{base}?{urlencode(following)}" if more else None,
                "previous_page_uri": None,
            },
        )

    def _answer(self, status: int, payload: dict):
        payload = {k: v for k, v in payload.items() if not k.startswith("_")}
        if isinstance(payload.get("messages"), list):
            payload["messages"] = [
                {k: v for k, v in m.items() if not k.startswith("_")} for m in payload["messages"]
            ]
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _message(sid: str, form: dict) -> dict:
    now = datetime.now(UTC)
    return {
        "sid": sid,
        "account_sid": ACCOUNT,
        "to": form.get("To"),
        "from": form.get("From"),
        "messaging_service_sid": form.get("MessagingServiceSid"),
        "body": form.get("Body"),
        "status": "queued",
        "num_segments": "1",
        "direction": "outbound-api",
        "date_created": format_datetime(now, usegmt=True),
        "date_updated": format_datetime(now, usegmt=True),
        "date_sent": format_datetime(now, usegmt=True),
        "error_code": None,
        "error_message": None,
        "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}.json",
        "_sent": now,
    }


def _when(value: str) -> datetime:
    """Read a ``DateSent`` filter: a date (``2026-12-05``) or an ISO 8601 time."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _matches(message: dict, query: dict) -> bool:
    if "To" in query and message["to"] != query["To"]:
        return False
    if "From" in query and message["from"] != query["From"]:
        return False
    sent = message["_sent"]
    if "DateSent>" in query and sent < _when(query["DateSent>"]):
        return False
    if "DateSent<" in query and sent > _when(query["DateSent<"]):
        return False
    return True
