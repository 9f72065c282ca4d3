"""Bounces: each check-in email's own return path, and the reports that come back to it.

The emails go through the local SMTP server of ``test_email_delivery`` (aiosmtpd, STARTTLS);
the bounces are delivery-status reports (RFC 3464) built with the standard library and filed
in a maildir or an mbox, as the agency's mail system would.
"""

from __future__ import annotations

import mailbox
from email import message_from_string
from email.message import EmailMessage

import pytest

from attune.cli import main as attune
from attune.measures import bounces
from attune.measures.models import MessageDelivery
from tests.measures.test_email_delivery import emailed_client, send, smtp_server  # noqa: F401

pytestmark = pytest.mark.django_db

BOUNCE_ADDRESS = "bounces@mail.example.org"


@pytest.fixture
def verp(settings):
    settings.ATTUNE_EMAIL_BOUNCE_ADDRESS = BOUNCE_ADDRESS
    return settings


def dsn(to: str, *, status="5.1.1", action="failed", diagnostic=None):
    """A delivery-status report (RFC 3464) as a receiving server sends it."""
    diagnostic = diagnostic or f"smtp; 550 {status} <client.a@example.org>: Recipient unknown"
    raw = f"""From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: {to}
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; client.a@example.org
Action: {action}
Status: {status}
Diagnostic-Code: {diagnostic}

--b1
Content-Type: text/rfc822-headers

Return-Path: <{to}>
Subject: Riverside Counselling invites your feedback

--b1--
"""
    return message_from_string(raw)


def emailed(smtp_server, emailed_client, capture):  # noqa: F811
    sent = send(emailed_client, capture)
    delivery = MessageDelivery.objects.get(checkin=sent.checkin, channel="email")
    (sender,) = smtp_server.senders
    return sent, delivery, sender


def maildir_with(tmp_path, *messages) -> str:
    box = mailbox.Maildir(str(tmp_path / "bounces"), create=True)
    for message in messages:
        box.add(message.as_bytes())
    return str(tmp_path / "bounces")


def test_each_email_leaves_with_its_own_signed_return_path(
    verp,
    smtp_server,  # noqa: F811
    emailed_client,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _sent, delivery, sender = emailed(
        smtp_server, emailed_client, django_capture_on_commit_callbacks
    )
    local, domain = sender.split("@")
    assert domain == "mail.example.org"
    assert local == f"bounces+{delivery.pk}-{bounces.signature(delivery.pk)}"
    (message,) = smtp_server.messages
    assert message["From"] == "Riverside Counselling <checkins@example.org>"  # unchanged


def test_without_a_bounce_address_the_envelope_sender_is_the_from_address(
    smtp_server,  # noqa: F811
    emailed_client,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _sent, _delivery, sender = emailed(
        smtp_server, emailed_client, django_capture_on_commit_callbacks
    )
    assert sender == "checkins@example.org"


def test_a_bounce_in_a_maildir_marks_the_email_not_delivered_in_words(
    verp,
    smtp_server,  # noqa: F811
    emailed_client,  # noqa: F811
    client,
    agency,
    tmp_path,
    capsys,
    django_capture_on_commit_callbacks,
):
    _sent, delivery, sender = emailed(
        smtp_server, emailed_client, django_capture_on_commit_callbacks
    )
    directory = maildir_with(tmp_path, dsn(sender))

    assert attune(["email", "bounces", "--maildir", directory]) == 0
    assert "1 bounces recorded" in capsys.readouterr().out
    delivery.refresh_from_db()
    assert (delivery.state, delivery.error_code) == ("undelivered", "DSN 5.1.1")
    assert "Recipient unknown" in delivery.bounce_reason
    assert "client.a@example.org" not in delivery.bounce_reason  # no address kept
    client.force_login(agency.therapist_a)
    today = client.get("/today/").content.decode()
    assert "Email: not delivered (the email address does not exist)" in today

    assert attune(["email", "bounces", "--maildir", directory]) == 0  # read again
    assert "0 bounces recorded, 1 already recorded" in capsys.readouterr().out


def test_a_bounce_in_an_mbox_and_a_full_mailbox(
    verp,
    smtp_server,  # noqa: F811
    emailed_client,  # noqa: F811
    tmp_path,
    django_capture_on_commit_callbacks,
):
    _sent, delivery, sender = emailed(
        smtp_server, emailed_client, django_capture_on_commit_callbacks
    )
    box = mailbox.mbox(str(tmp_path / "bounces.mbox"))
    box.add(dsn(sender, status="5.2.2", diagnostic="smtp; 552 5.2.2 Mailbox full"))
    box.close()
    assert attune(["email", "bounces", "--mbox", str(tmp_path / "bounces.mbox")]) == 0
    delivery.refresh_from_db()
    assert delivery.words == "not delivered (the mailbox is full)"


def test_forged_delayed_and_other_mail_change_nothing(
    verp,
    smtp_server,  # noqa: F811
    emailed_client,  # noqa: F811
    tmp_path,
    django_capture_on_commit_callbacks,
):
    _sent, delivery, sender = emailed(
        smtp_server, emailed_client, django_capture_on_commit_callbacks
    )
    forged = f"bounces+{delivery.pk}-{'0' * 16}@mail.example.org"
    other = EmailMessage()
    other["To"] = sender
    other["Subject"] = "Out of office"
    other.set_content("I am away this week.")
    tally = bounces.bounces_read(
        [dsn(forged), dsn(sender, status="4.4.1", action="delayed"), other]
    )
    assert (tally.read, tally.recorded, tally.unknown, tally.not_failed) == (3, 0, 1, 2)
    delivery.refresh_from_db()
    assert delivery.state == "sent"


def test_a_missing_mailbox_exits_2(tmp_path, capsys):
    assert attune(["email", "bounces", "--maildir", str(tmp_path / "none")]) == 2
    assert "is not a maildir" in capsys.readouterr().err
