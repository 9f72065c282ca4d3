"""Check-in emails through Django's SMTP backend to a real SMTP server running in the test.

The server is aiosmtpd in a thread, speaking STARTTLS with a certificate made for the test (the
client trusts it through ``SSL_CERT_FILE``); it refuses the recipients the test names, with the
code a real server gives.  What it took is read back as the raw message.
"""

from __future__ import annotations

import datetime as dt
import email
import ipaddress
import socket
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core import mail

from attune.measures.models import MessageDelivery
from tests.measures.checkins import send_checkin

pytestmark = pytest.mark.django_db


class Handler:
    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.refuse: dict[str, str] = {}
        self.tls_seen: list[bool] = []
        self.senders: list[str] = []  # each message's envelope sender (MAIL FROM)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.tls_seen.append(session.ssl is not None)
        self.senders.append(envelope.mail_from)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def make_certificate(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class TlsController(Controller):
    def __init__(self, handler, context, **kwargs):
        self.context = context
        super().__init__(handler, **kwargs)

    def factory(self):
        return SMTP(self.handler, tls_context=self.context, require_starttls=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings, tmp_path, monkeypatch):
    cert_path, key_path = make_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_path))  # the client trusts the test's server
    handler = Handler()
    controller = TlsController(handler, context, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL = True, False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "checkins@example.org"
    settings.ATTUNE_AGENCY_NAME = "Riverside Counselling"
    settings.ATTUNE_EMAIL_UNSUBSCRIBE = "contact-preferences@example.org"
    yield handler
    controller.stop()


@pytest.fixture
def emailed_client(agency):
    client = agency.client_a
    client.email, client.contact_consent = "client.a@example.org", "email"
    client.save()
    return client


def send(client, capture):
    with capture(execute=True):
        return send_checkin(client)


def test_the_invitation_goes_over_starttls_from_the_agency_in_text_and_html(
    smtp_server, emailed_client, django_capture_on_commit_callbacks
):
    sent = send(emailed_client, django_capture_on_commit_callbacks)

    (message,) = smtp_server.messages
    assert smtp_server.tls_seen == [True]
    assert message["From"] == "Riverside Counselling <checkins@example.org>"
    assert message["To"] == "client.a@example.org"
    assert message["List-Unsubscribe"] == "<mailto:contact-preferences@example.org>"
    parts = {part.get_content_type(): part for part in message.walk()}
    plain = parts["text/plain"].get_payload(decode=True).decode()
    html = parts["text/html"].get_payload(decode=True).decode()
    assert sent.url in plain
    assert f'href="{sent.url}"' in html and 'lang="es"' in html  # client A reads Spanish
    delivery = MessageDelivery.objects.get(checkin=sent.checkin, channel="email")
    assert (delivery.state, delivery.error_code) == ("sent", "")
    assert sent.delivered_by == ("email",)


def test_a_refused_address_is_recorded_on_the_checkin_and_shown_to_the_therapist(
    smtp_server, emailed_client, client, agency, django_capture_on_commit_callbacks
):
    smtp_server.refuse["client.a@example.org"] = "550 5.1.1 No such user here"
    sent = send(emailed_client, django_capture_on_commit_callbacks)

    assert smtp_server.messages == []
    delivery = MessageDelivery.objects.get(checkin=sent.checkin, channel="email")
    assert (delivery.state, delivery.error_code) == ("undelivered", "SMTP 550")
    client.force_login(agency.therapist_a)
    today = client.get("/today/").content.decode()
    assert ("Email: not delivered (the mail server refused the address)</span>") in today
    assert "Fresh link to give in person" in today


def test_a_server_that_cannot_be_reached_is_recorded_as_failed(
    settings, emailed_client, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    sent = send(emailed_client, django_capture_on_commit_callbacks)
    delivery = MessageDelivery.objects.get(checkin=sent.checkin, channel="email")
    assert delivery.state == "failed"


def test_the_email_is_sent_once_per_checkin(
    smtp_server, emailed_client, django_capture_on_commit_callbacks
):
    from attune.measures.invitations import deliver_invitation

    sent = send(emailed_client, django_capture_on_commit_callbacks)
    deliver_invitation(
        client_id=emailed_client.pk,
        url=sent.url,
        expires_at=sent.checkin.expires_at,
        checkin_id=sent.checkin.pk,
    )
    assert len(smtp_server.messages) == 1


def test_the_locmem_outbox_still_gets_both_parts(
    emailed_client, django_capture_on_commit_callbacks
):
    sent = send(emailed_client, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert sent.url in message.body
    ((html, kind),) = message.alternatives
    assert kind == "text/html" and sent.url in html
