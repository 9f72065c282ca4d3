"""A failed invitation: the therapist sees why and can give a fresh link for the same check-in."""

from __future__ import annotations

import pytest
from django.core import mail

from attune.access.models import AccessEvent
from attune.clients.models import ClientLink
from attune.clients.tokens import token_hash
from attune.measures.models import CheckIn, MessageDelivery
from tests.measures.checkins import send_checkin

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_text(agency, settings, django_capture_on_commit_callbacks):
    """A check-in whose text never arrived (the number is a landline)."""
    settings.ATTUNE_SMS_BACKEND = "attune.measures.sms.LocmemSmsBackend"
    settings.ATTUNE_SMS_QUIET_HOURS = ""
    client = agency.client_a
    client.phone, client.contact_consent, client.email = "(555) 555-0142", "both", ""
    client.save()
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_checkin(client)
    MessageDelivery.objects.filter(checkin=sent.checkin, channel="sms").update(
        state="undelivered", error_code="30006"
    )
    return sent


def therapist(client, agency):
    client.force_login(agency.therapist_a)
    return client


def fresh(http, sent, how):
    url = f"/clients/{sent.checkin.client_id}/measures/checkins/{sent.checkin.pk}/fresh-link/"
    return http.post(url, {"how": how})


def test_a_failed_text_offers_a_fresh_link_in_person(failed_text, client, agency):
    http = therapist(client, agency)
    today = http.get("/today/").content.decode()
    assert "Text message: not delivered (the number is a landline or its carrier" in today
    assert "Fresh link to give in person" in today
    assert "Send a fresh link by" not in today  # no email address: no other channel

    answered = fresh(http, failed_text, "in_person")

    page = answered.content.decode()
    assert answered.status_code == 200 and "<svg" in page and "fresh-link-qr" in page
    checkin = CheckIn.objects.select_related("link").get(pk=failed_text.checkin.pk)
    old_hash = token_hash(failed_text.url.rstrip("/").rsplit("/", 1)[-1])
    old = ClientLink.objects.get(token_hash=old_hash)
    assert old.revoked_at is not None and checkin.link_id != old.pk
    assert checkin.link.expires_at == checkin.expires_at  # the same closing date
    new_url = page.split('id="checkin-link" class="wide" readonly value="')[1].split('"')[0]
    assert new_url != failed_text.url
    assert token_hash(new_url.rstrip("/").rsplit("/", 1)[-1]) == checkin.link.token_hash
    assert AccessEvent.objects.filter(detail="fresh link to give in person").exists()


def test_the_other_channel_is_offered_once_the_client_can_be_reached_by_it(
    failed_text, client, agency, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    person = agency.client_a
    person.email = "client.a@example.org"
    person.save()
    http = therapist(client, agency)
    assert "Send a fresh link by email" in http.get("/today/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        answered = fresh(http, failed_text, "email")

    assert answered.status_code == 200
    (message,) = mail.outbox
    checkin = CheckIn.objects.select_related("link").get(pk=failed_text.checkin.pk)
    assert "/c/" in message.body and failed_text.url not in message.body
    email = MessageDelivery.objects.get(checkin=checkin, channel="email")
    assert email.state == "sent"
    assert AccessEvent.objects.filter(detail="fresh link sent by email").exists()


def test_no_fresh_link_for_an_answered_check_in_or_a_channel_not_open(failed_text, client, agency):
    http = therapist(client, agency)
    refused = fresh(http, failed_text, "email")  # no email address
    assert refused.status_code == 302
    assert CheckIn.objects.get(pk=failed_text.checkin.pk).link_id == failed_text.checkin.link_id
    ClientLink.objects.filter(pk=failed_text.checkin.link_id).update(
        used_at=failed_text.checkin.sent_at
    )
    assert fresh(http, failed_text, "in_person").status_code == 302
    assert CheckIn.objects.get(pk=failed_text.checkin.pk).link_id == failed_text.checkin.link_id


def test_another_therapists_check_in_gets_no_fresh_link(failed_text, client, agency):
    client.force_login(agency.therapist_b)
    assert fresh(client, failed_text, "in_person").status_code == 404
