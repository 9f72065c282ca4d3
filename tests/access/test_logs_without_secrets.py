"""No link token, phone number, email address or client name in any log line, at any level.

A whole client journey runs with every logger at DEBUG (SQL included) and its output captured
where production writes it: the handler of settings.LOGGING.  Then every line is searched.
"""

from __future__ import annotations

import io
import logging
import re
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import Client as HttpClient

from attune.access.actor import Actor
from attune.clients.services import client_update
from attune.config.log_redaction import RedactSecrets, redact
from attune.measures import invitations, sms
from tests.measures.checkins import scheduled_session

PHONE = "+1 (555) 014-2987"
EMAIL = "zephyrine.journey@example.org"
CHOSEN = "Zephyrine Quillfeather"
LEGAL = "Legalname-Journey Person"


class RefusingEmailBackend(BaseEmailBackend):
    """An SMTP server that refuses the recipient, naming it, as real ones do."""

    def send_messages(self, messages):
        recipients = {to: (550, b"5.1.1 no such user") for m in messages for to in m.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


@pytest.fixture
def captured_logs(settings):
    """Send every logger's DEBUG output through the configured handler into a buffer."""
    root = logging.getLogger()
    handlers = [h for h in root.handlers if any(isinstance(f, RedactSecrets) for f in h.filters)]
    assert handlers, "settings.LOGGING installs the redacting handler on the root logger"
    buffer = io.StringIO()
    saved_streams = [h.setStream(buffer) for h in handlers]
    loggers = [root] + [logging.getLogger(name) for name in logging.root.manager.loggerDict]
    saved_levels = [(lg, lg.level) for lg in loggers if isinstance(lg, logging.Logger)]
    for lg, _ in saved_levels:
        lg.setLevel(logging.DEBUG)
    connection.force_debug_cursor = True  # every SQL statement and its parameters, too
    try:
        yield buffer
    finally:
        connection.force_debug_cursor = False
        for lg, level in saved_levels:
            lg.setLevel(level)
        for handler, stream in zip(handlers, saved_streams, strict=True):
            handler.setStream(stream)


def phone_forms(phone: str) -> list[str]:
    digits = re.sub(r"\D", "", phone)
    return [phone, digits, digits[1:], digits[-7:], "555) 014-2987", "014-2987"]


def test_a_whole_client_journey_logs_no_token_phone_email_or_name(
    agency, settings, captured_logs, caplog, django_capture_on_commit_callbacks
):
    settings.ATTUNE_SMS_BACKEND = "attune.measures.sms.ConsoleSmsBackend"
    client = agency.client_a
    client_update(
        actor=Actor.system(),
        client=client,
        chosen_name=CHOSEN,
        legal_name=LEGAL,
        email=EMAIL,
        phone=PHONE,
        contact_consent="both",
    )
    # The therapist signs in and marks the session held: the link goes by email and SMS.
    therapist = HttpClient()
    therapist.post("/sign-in/", {"username": "ana", "password": "wrong", "otp_token": ""})
    therapist.force_login(agency.therapist_a)
    therapist.get(f"/clients/{client.pk}/")
    session = scheduled_session(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = therapist.post(f"/sessions/{session.pk}/held/")
    assert response.status_code in (200, 302)
    (message,) = mail.outbox
    url = re.search(r"http://testserver(/c/[A-Za-z0-9_-]+/)", message.body).group(1)
    token = url.split("/")[2]

    # The client opens the link, picks a language, answers, and later opens it again.
    browser = HttpClient()
    assert browser.get(url).status_code == 302
    browser.post("/c/language/", {"language": "en"})
    assert browser.get("/c/").status_code == 200
    browser.post("/c/", {"p1-comment": f"My name is {CHOSEN}, call {PHONE}"})
    assert HttpClient().get(url).status_code == 404  # used: Django logs "Not Found: <path>"
    assert HttpClient().get(f"/c/{agency.link_token}x/").status_code == 404

    # The worker's reminder, with an SMTP server that names the refused address in its error.
    settings.EMAIL_BACKEND = "tests.access.test_logs_without_secrets.RefusingEmailBackend"
    invitations.deliver_reminder(client.pk)

    output = captured_logs.getvalue()
    assert "/c/[link]/" in output and "***2987" in output  # the journey was logged...
    assert "[email]" in output  # ...the refusal too, with the address taken out
    secrets = [token, agency.link_token, EMAIL, CHOSEN, LEGAL, *phone_forms(PHONE)]
    for line in output.splitlines():
        for secret in secrets:
            assert secret not in line, f"{secret!r} in a log line: {line[:200]!r}"
    # Attune's own messages never carry a name, whatever the filter would do.
    for record in caplog.records:
        text = record.getMessage()
        assert CHOSEN not in text and LEGAL not in text


def test_the_sms_notice_names_no_number_and_no_link(caplog):
    with caplog.at_level(logging.DEBUG):
        sms.ConsoleSmsBackend().send(to="+44 20 7946 0958", body="Hi: http://x/c/SECRET/")
    (record,) = caplog.records
    assert (
        record.getMessage()
        == "SMS to ***0958: console backend, nothing sent (its 22 characters withheld)"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"GET /c/Abc-123_xyz/ HTTP/1.1" 302', '"GET /c/[link]/ HTTP/1.1" 302'),
        ("Not Found: /c/Abc-123_xyz/", "Not Found: /c/[link]/"),
        ("https://a.example/c/tok?x=1", "https://a.example/c/[link]?x=1"),
        ('"POST /c/language/ HTTP/1.1"', '"POST /c/language/ HTTP/1.1"'),
        ('"GET /c/ HTTP/1.1"', '"GET /c/ HTTP/1.1"'),
        ("refused: {'a.b+c@mail.example.org': 550}", "refused: {'[email]': 550}"),
        ("to +1 555 0100.", "to [phone]."),
        (
            "at [04/Dec/2026:16:45:24 +0000] check-in 57",
            "at [04/Dec/2026:16:45:24 +0000] check-in 57",
        ),
    ],
)
def test_it_redacts_tokens_addresses_and_numbers(line, expected):
    assert redact(line) == expected


def test_gunicorns_access_and_error_logs_are_redacted(tmp_path):
    from gunicorn.config import Config

    from attune.config.gunicorn_logging import RedactingLogger

    access_file, error_file = tmp_path / "access.log", tmp_path / "error.log"
    cfg = Config()
    cfg.set("accesslog", str(access_file))
    cfg.set("errorlog", str(error_file))
    cfg.set("access_log_format", '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms')
    log = RedactingLogger(cfg)

    class Response:
        status, status_code, sent, headers = "302 Found", 302, 0, []

    class Request:
        headers, method, path, query, version = [], "GET", "/c/LiveToken_abc/", "", (1, 1)
        uri = path

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/c/LiveToken_abc/",
        "RAW_URI": "/c/LiveToken_abc/",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    log.access(Response(), Request(), environ, timedelta(milliseconds=3))
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("Error handling request %s", "/c/LiveToken_abc/")
    for handler in [*log.access_log.handlers, *log.error_log.handlers]:
        handler.flush()
    access, errors = access_file.read_text(), error_file.read_text()
    assert '"GET /c/[link]/" 302' in access
    assert "Error handling request /c/[link]/" in errors
    assert "LiveToken_abc" not in access + errors
