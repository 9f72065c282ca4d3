"""Texts through the real ``twilio`` library, against a local server that answers as Twilio does.

The server (``http.server`` in a thread) speaks the documented shape of Twilio's Messages API:
``POST /2010-04-01/Accounts/{Sid}/Messages.json`` with a form body, answered 201 with the
message as JSON (``sid``, ``status: "queued"``).  It can be told to fail first (500, 429) or
refuse (400 with a Twilio error code).  The provider's callbacks are signed by the library's own
``RequestValidator`` with the test's auth token, as Twilio signs them.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from twilio.request_validator import RequestValidator

from attune.access.models import AccessEvent
from attune.measures import delivery as delivery_services
from attune.measures.models import DeliveryState, MessageDelivery
from attune.measures.sms import e164, quiet_until
from tests.measures.checkins import send_checkin
from tests.measures.fake_twilio import ACCOUNT, FakeTwilio

pytestmark = pytest.mark.django_db

TOKEN = "test-auth-token-not-a-real-one"
SEND_TEXT = "attune.measures.tasks.send_text"
PHONE = "(555) 555-0142"  # national format, read in the US
PHONE_E164 = "+15555550142"


@pytest.fixture
def twilio(settings):
    server = FakeTwilio()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ATTUNE_SMS_BACKEND = "attune.measures.sms.TwilioSmsBackend"
    settings.ATTUNE_TWILIO_ACCOUNT_SID = ACCOUNT
    settings.ATTUNE_TWILIO_AUTH_TOKEN = TOKEN
    settings.ATTUNE_TWILIO_FROM = "+15555550100"
    settings.ATTUNE_TWILIO_MESSAGING_SERVICE_SID = ""
    settings.ATTUNE_TWILIO_API_BASE_URL = server.base_url
    settings.ATTUNE_SMS_QUIET_HOURS = ""
    settings.ATTUNE_BASE_URL = ""
    settings.ATTUNE_AGENCY_NAME = "Riverside Counselling"
    settings.ATTUNE_AGENCY_CONTACT = "555-0100 (weekdays)"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def texting_client(agency):
    client = agency.client_a
    client.phone, client.contact_consent = PHONE, "sms"
    client.save()
    return client


def send(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return send_checkin(client)


def signed_post(client, name: str, params: dict, *, token: str = TOKEN, signature=None):
    url = "http://testserver" + reverse(name)
    if signature is None:
        signature = RequestValidator(token).compute_signature(url, params)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    return client.post(reverse(name), params, **headers)


def status(client, sid: str, state: str, code: str = "", **kw):
    params = {"MessageSid": sid, "MessageStatus": state, "AccountSid": ACCOUNT}
    if code:
        params["ErrorCode"] = code
    return signed_post(client, "measures:sms_status", params, **kw)


def the_delivery(sent) -> MessageDelivery:
    return MessageDelivery.objects.get(checkin=sent.checkin, channel="sms", purpose="invitation")


# Step 1: sending through the library --------------------------------------------------------


def test_a_checkin_text_goes_through_twilio_with_a_status_callback(
    twilio, texting_client, django_capture_on_commit_callbacks
):
    sent = send(texting_client, django_capture_on_commit_callbacks)

    (request,) = twilio.received
    assert request["To"] == PHONE_E164
    assert request["From"] == "+15555550100"
    assert sent.url in request["Body"] and "Riverside Counselling" in request["Body"]
    assert request["StatusCallback"] == "http://testserver/sms/status/"
    delivery = the_delivery(sent)
    assert delivery.provider_sid == "SM" + "1".zfill(32)
    assert delivery.state == DeliveryState.QUEUED
    assert delivery.body == ""  # the words (and the link) are not kept once it went


def test_a_messaging_service_sends_instead_of_a_number(
    twilio, texting_client, settings, django_capture_on_commit_callbacks
):
    settings.ATTUNE_TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    send(texting_client, django_capture_on_commit_callbacks)
    (request,) = twilio.received
    assert request["MessagingServiceSid"] == "MG" + "1" * 32 and "From" not in request


def test_a_refusal_is_recorded_with_the_providers_code_and_not_retried(
    twilio, texting_client, django_capture_on_commit_callbacks
):
    twilio.plan = [(400, {"code": 21211, "message": "Invalid 'To' number", "status": 400})]
    sent = send(texting_client, django_capture_on_commit_callbacks)
    delivery = the_delivery(sent)
    assert (delivery.state, delivery.error_code, delivery.body) == ("failed", "21211", "")
    assert not DBTaskResult.objects.filter(task_path=SEND_TEXT).exists()


def test_numbers_in_national_formats_are_read_in_e164(settings):
    settings.ATTUNE_PHONE_REGION = "US"
    for written in ("(555) 555-0142", "555.555.0142", "+1 555 555 0142", "1-555-555-0142"):
        assert e164(written) == PHONE_E164
    assert e164("020 7946 0018", "GB") == "+442079460018"
    assert e164("not a number") == "" and e164("12") == ""


# Step 2: status callbacks, retries ------------------------------------------------------------


def test_signed_callbacks_move_the_state_forward_only_and_keep_the_error_code(
    twilio, texting_client, client, django_capture_on_commit_callbacks
):
    sent = send(texting_client, django_capture_on_commit_callbacks)
    sid = the_delivery(sent).provider_sid

    assert status(client, sid, "delivered").status_code == 200
    assert status(client, sid, "sent").status_code == 200  # out of order: ignored
    assert status(client, sid, "delivered").status_code == 200  # repeated: nothing new
    assert the_delivery(sent).state == "delivered"
    trail = AccessEvent.objects.filter(object_ref=str(sent.checkin.pk), detail__contains="text")
    assert trail.filter(detail="text invitation: delivered").count() == 1


def test_an_undelivered_report_keeps_the_providers_error_code(
    twilio, texting_client, client, django_capture_on_commit_callbacks
):
    sent = send(texting_client, django_capture_on_commit_callbacks)
    sid = the_delivery(sent).provider_sid
    status(client, sid, "sent")
    status(client, sid, "undelivered", "30006")
    delivery = the_delivery(sent)
    assert (delivery.state, delivery.error_code) == ("undelivered", "30006")


def test_a_bad_or_missing_signature_is_refused_and_changes_nothing(
    twilio, texting_client, client, django_capture_on_commit_callbacks
):
    sent = send(texting_client, django_capture_on_commit_callbacks)
    sid = the_delivery(sent).provider_sid
    assert status(client, sid, "delivered", token="another-token").status_code == 403
    assert status(client, sid, "delivered", signature="").status_code == 403
    assert status(client, sid, "delivered", signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    assert the_delivery(sent).state == "queued"


def test_a_callback_for_an_unknown_message_answers_200_and_records_nothing(twilio, client):
    before = AccessEvent.objects.count()
    assert status(client, "SM" + "9" * 32, "delivered").status_code == 200
    assert AccessEvent.objects.count() == before
    assert not MessageDelivery.objects.exists()


def test_the_signature_is_checked_against_the_public_address_behind_a_proxy(
    twilio, texting_client, client, settings, django_capture_on_commit_callbacks
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    sent = send(texting_client, django_capture_on_commit_callbacks)
    sid = the_delivery(sent).provider_sid
    params = {"MessageSid": sid, "MessageStatus": "delivered"}
    url = "https://testserver" + reverse("measures:sms_status")
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    answered = client.post(
        reverse("measures:sms_status"),
        params,
        HTTP_X_TWILIO_SIGNATURE=signature,
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert answered.status_code == 200
    assert the_delivery(sent).state == "delivered"


def test_a_passing_500_is_retried_by_the_worker_and_the_text_goes_exactly_once(
    twilio, texting_client, settings, django_capture_on_commit_callbacks
):
    twilio.plan = [(500, {"code": 20500, "message": "Internal Server Error", "status": 500})]
    sent = send(texting_client, django_capture_on_commit_callbacks)
    delivery = the_delivery(sent)
    assert (delivery.state, delivery.attempts, delivery.provider_sid) == ("pending", 1, None)
    assert delivery.body  # kept (encrypted) for the retry
    (task,) = DBTaskResult.objects.filter(task_path=SEND_TEXT)
    assert task.run_after > timezone.now()  # backed off
    assert task.args_kwargs["args"] == [delivery.pk]  # the id alone in the queue

    run_due_texts()
    run_due_texts()  # a second run (or a duplicated task) sends nothing more
    delivery_services.sms_attempt(delivery_id=delivery.pk)

    assert len(twilio.received) == 2  # the refused try and the one that went
    delivery = the_delivery(sent)
    assert delivery.state == "queued" and delivery.provider_sid and delivery.body == ""


def test_429_is_retried_and_gives_up_after_the_last_try(
    twilio, texting_client, settings, django_capture_on_commit_callbacks
):
    settings.ATTUNE_SMS_MAX_ATTEMPTS = 2
    busy = (429, {"code": 20429, "message": "Too Many Requests", "status": 429})
    twilio.plan = [busy, busy]
    sent = send(texting_client, django_capture_on_commit_callbacks)
    assert the_delivery(sent).state == "pending"
    run_due_texts()
    delivery = the_delivery(sent)
    assert (delivery.state, delivery.attempts, delivery.body) == ("failed", 2, "")
    assert len(twilio.received) == 2


def test_a_timeout_is_retried(twilio, texting_client, settings, django_capture_on_commit_callbacks):
    settings.ATTUNE_TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # nothing listens: refused
    sent = send(texting_client, django_capture_on_commit_callbacks)
    assert the_delivery(sent).state == "pending"
    settings.ATTUNE_TWILIO_API_BASE_URL = twilio.base_url
    run_due_texts()
    assert the_delivery(sent).state == "queued" and len(twilio.received) == 1


def run_due_texts():
    """Run the waiting ``send_text`` tasks as the worker would, once each, as if now were due."""
    from attune.measures.tasks import send_text

    for task in DBTaskResult.objects.filter(task_path=SEND_TEXT, status="READY"):
        DBTaskResult.objects.filter(pk=task.pk).update(status="SUCCESSFUL")
        with transaction.atomic():
            send_text.call(*task.args_kwargs["args"])


# Step 3: STOP, START, HELP, quiet hours -----------------------------------------------------


def inbound(client, text: str, number: str = PHONE_E164, **kw):
    return signed_post(
        client,
        "measures:sms_inbound",
        {"From": number, "To": "+15555550100", "Body": text, "AccountSid": ACCOUNT},
        **kw,
    )


def test_stop_from_the_phone_stops_every_later_text_and_email_still_goes(
    twilio, texting_client, client, django_capture_on_commit_callbacks
):
    from django.core import mail

    texting_client.email, texting_client.contact_consent = "client@example.org", "both"
    texting_client.save()
    answered = inbound(client, "  Stop. ", number="+1 (555) 555-0142")
    assert answered.status_code == 200 and answered["Content-Type"].startswith("text/xml")
    texting_client.refresh_from_db()
    assert texting_client.sms_opted_out_at is not None
    assert texting_client.sms_opt_out_source == "client texted STOP"
    assert AccessEvent.objects.filter(
        client_ref=str(texting_client.pk), detail="opted out of texts (client texted STOP)"
    ).exists()

    mail.outbox.clear()
    sent = send(texting_client, django_capture_on_commit_callbacks)
    assert twilio.received == []  # nothing to the number that opted out
    assert len(mail.outbox) == 1  # email still works
    assert sent.delivered_by == ("email",) and sent.sms_opted_out_at is not None
    assert the_delivery(sent).state == "opted_out"


@pytest.mark.parametrize("word", ["ALTO", "parar", "Cancelar", "UNSUBSCRIBE", "quit", "END"])
def test_every_stop_word_opts_out(twilio, texting_client, client, word):
    inbound(client, word)
    texting_client.refresh_from_db()
    assert texting_client.sms_opted_out_at is not None


def test_start_turns_texts_back_on(twilio, texting_client, client):
    inbound(client, "STOP")
    inbound(client, "COMENZAR")
    texting_client.refresh_from_db()
    assert texting_client.sms_opted_out_at is None
    assert texting_client.sms_opt_out_source == "client texted COMENZAR"


def test_help_is_answered_with_the_agency_and_its_contact(twilio, texting_client, client):
    answered = inbound(client, "help")
    body = answered.content.decode()
    assert "<Message>" in body and "Riverside Counselling" in body and "555-0100" in body
    texting_client.refresh_from_db()
    assert texting_client.sms_opted_out_at is None


def test_an_unknown_number_is_answered_200_and_nothing_recorded(twilio, texting_client, client):
    before = AccessEvent.objects.count()
    answered = inbound(client, "STOP", number="+15555550999")
    assert answered.status_code == 200 and "<Message>" not in answered.content.decode()
    assert AccessEvent.objects.count() == before


def test_an_inbound_text_without_a_valid_signature_changes_nothing(twilio, texting_client, client):
    assert inbound(client, "STOP", token="wrong").status_code == 403
    texting_client.refresh_from_db()
    assert texting_client.sms_opted_out_at is None


def test_a_text_due_in_quiet_hours_waits_for_their_end(
    twilio, texting_client, settings, django_capture_on_commit_callbacks
):
    sent = send(texting_client, django_capture_on_commit_callbacks)  # whatever the hour now
    settings.ATTUNE_SMS_QUIET_HOURS = "21:00-08:00"
    settings.TIME_ZONE = "America/Chicago"
    night = datetime(2026, 3, 2, 4, 30, tzinfo=UTC)  # 22:30 in Chicago
    end = quiet_until(night)
    assert end == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 08:00 the next morning
    assert quiet_until(datetime(2026, 3, 2, 18, 0, tzinfo=UTC)) is None  # noon

    delivery = the_delivery(sent)
    MessageDelivery.objects.filter(pk=delivery.pk).update(state="pending", provider_sid=None)
    MessageDelivery.objects.filter(pk=delivery.pk).update(body="words")
    twilio.received.clear()
    assert delivery_services.sms_attempt(delivery_id=delivery.pk, now=night) == "deferred"
    assert twilio.received == []
    (task,) = DBTaskResult.objects.filter(task_path=SEND_TEXT)
    assert task.run_after == end
    settings.ATTUNE_SMS_QUIET_HOURS = ""
    run_due_texts()
    assert len(twilio.received) == 1


def test_a_text_waits_for_morning_where_the_client_lives(
    twilio, texting_client, settings, django_capture_on_commit_callbacks
):
    sent = send(texting_client, django_capture_on_commit_callbacks)  # whatever the hour now
    settings.ATTUNE_SMS_QUIET_HOURS = "21:00-08:00"
    settings.TIME_ZONE = "America/Chicago"
    afternoon_in_chicago = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)  # 22:30 in Madrid
    texting_client.time_zone = "Europe/Madrid"
    texting_client.save(update_fields=["time_zone"])
    delivery = the_delivery(sent)
    MessageDelivery.objects.filter(pk=delivery.pk).update(
        state="pending", provider_sid=None, body="words"
    )
    twilio.received.clear()
    assert (
        delivery_services.sms_attempt(delivery_id=delivery.pk, now=afternoon_in_chicago)
        == "deferred"
    )
    assert twilio.received == []
    (task,) = DBTaskResult.objects.filter(task_path=SEND_TEXT)
    assert task.run_after == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 08:00 in Madrid
    texting_client.time_zone = ""  # the agency's zone: an afternoon, so it goes at once
    texting_client.save(update_fields=["time_zone"])
    DBTaskResult.objects.all().delete()
    assert (
        delivery_services.sms_attempt(delivery_id=delivery.pk, now=afternoon_in_chicago) == "sent"
    )
    assert len(twilio.received) == 1


def test_quiet_hours_within_one_day(settings):
    settings.ATTUNE_SMS_QUIET_HOURS = "12:00-13:00"
    settings.TIME_ZONE = "UTC"
    assert quiet_until(datetime(2026, 3, 2, 12, 30, tzinfo=UTC)) == datetime(
        2026, 3, 2, 13, 0, tzinfo=UTC
    )
    assert quiet_until(datetime(2026, 3, 2, 13, 0, tzinfo=UTC)) is None


def test_the_retry_delay_doubles(settings):
    settings.ATTUNE_SMS_RETRY_SECONDS = 30
    delays = [delivery_services.retry_delay(n) for n in (1, 2, 3)]
    assert delays == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]


# Step 4: what the therapist sees ------------------------------------------------------------


def staff(client, user):
    client.force_login(user)
    return client


def test_today_and_the_clients_page_say_what_became_of_each_text(
    twilio, texting_client, client, agency, django_capture_on_commit_callbacks
):
    delivered = send(texting_client, django_capture_on_commit_callbacks)
    landline = send(texting_client, django_capture_on_commit_callbacks)
    waiting = send(texting_client, django_capture_on_commit_callbacks)
    status(client, the_delivery(delivered).provider_sid, "delivered")
    status(client, the_delivery(landline).provider_sid, "undelivered", "30006")
    assert the_delivery(waiting).state == "queued"
    inbound(client, "STOP")
    texting_client.refresh_from_db()
    opted_out = send(texting_client, django_capture_on_commit_callbacks)
    assert the_delivery(opted_out).state == "opted_out"

    http = staff(client, agency.therapist_a)
    today = http.get("/today/").content.decode()
    measures = http.get(f"/clients/{texting_client.pk}/measures/").content.decode()
    for page in (today, measures):
        assert "Text message: delivered" in page
        assert (
            "Text message: not delivered (the number is a landline or its carrier cannot be "
            "reached)</span>"
        ) in page
        assert "Fresh link to give in person" in page
        assert "Text message: not answered yet" in page
        assert "Text message: opted out of texts" in page
    overview = http.get(f"/clients/{texting_client.pk}/").content.decode()
    opted = texting_client.__class__.objects.get(pk=texting_client.pk).sms_opted_out_at
    assert (
        f"opted out of texts on {opted.astimezone(timezone.get_current_timezone()):%-d %B %Y}"
        in (overview)
    )
    local = opted.astimezone(timezone.get_current_timezone())
    assert f"at {local:%H:%M}: client texted STOP; no text goes to them until" in overview


def test_sending_to_a_client_who_opted_out_tells_the_therapist(
    twilio, texting_client, client, agency
):
    inbound(client, "STOP")
    http = staff(client, agency.therapist_a)
    answered = http.post(
        f"/clients/{texting_client.pk}/measures/send/",
        {"instrument": "bundled:phq9", "other_language": "on"},
    )
    assert "No text message was sent: the client opted out of texts on" in (
        answered.content.decode()
    )
    assert twilio.received == []


def test_help_is_answered_in_the_clients_language(twilio, texting_client, client):
    texting_client.page_language = "es"
    texting_client.save()
    body = inbound(client, "AYUDA").content.decode()
    assert "le enviamos enlaces privados" in body and "Responda ALTO" in body


# The real worker, and what reaches the logs -------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the worker commits as in production
def test_the_worker_retries_a_500_and_the_check_in_gets_one_text(
    twilio, texting_client, django_capture_on_commit_callbacks
):
    from tests.measures.test_checkin_tasks import make_due, run_worker

    twilio.plan = [(503, {"code": 20503, "message": "Service Unavailable", "status": 503})]
    sent = send(texting_client, django_capture_on_commit_callbacks)
    assert the_delivery(sent).state == "pending"
    run_worker(django_capture_on_commit_callbacks)  # the retry is not due yet
    assert len(twilio.received) == 1
    make_due(SEND_TEXT)
    run_worker(django_capture_on_commit_callbacks)
    make_due(SEND_TEXT)
    run_worker(django_capture_on_commit_callbacks)  # nothing left to send
    assert len(twilio.received) == 2
    delivery = the_delivery(sent)
    assert delivery.state == "queued" and delivery.provider_sid and delivery.body == ""
    # The queue holds the delivery's id, never the link's token.
    token = sent.url.rstrip("/").rsplit("/", 1)[-1]
    assert token not in json.dumps(list(DBTaskResult.objects.values()), default=str)


def test_the_reminder_text_is_its_own_delivery(
    twilio, texting_client, django_capture_on_commit_callbacks
):
    from attune.access.actor import Actor
    from attune.measures import services

    sent = send(texting_client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.checkin_remind(actor=Actor.system(), checkin_id=sent.checkin.pk)
    reminder = MessageDelivery.objects.get(checkin=sent.checkin, purpose="reminder")
    assert reminder.state == "queued" and len(twilio.received) == 2
    assert sent.url not in twilio.received[1]["Body"]  # the reminder carries no link


def test_no_number_text_or_token_reaches_the_logs(
    twilio, texting_client, client, caplog, django_capture_on_commit_callbacks
):
    import logging

    caplog.set_level(logging.DEBUG)
    twilio.plan = [(500, {"code": 20500, "message": "Internal Server Error", "status": 500})]
    sent = send(texting_client, django_capture_on_commit_callbacks)
    run_due_texts()
    status(client, the_delivery(sent).provider_sid, "delivered")
    inbound(client, "STOP")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (PHONE_E164, "555-0142", "5550142", TOKEN, sent.url.rsplit("/", 2)[-2]):
        assert secret not in logged


def test_the_system_check_names_what_the_twilio_backend_lacks(settings):
    from attune.measures.apps import check_sms_settings

    settings.ATTUNE_SMS_BACKEND = "attune.measures.sms.TwilioSmsBackend"
    settings.ATTUNE_TWILIO_ACCOUNT_SID = ACCOUNT
    settings.ATTUNE_TWILIO_AUTH_TOKEN = ""
    settings.ATTUNE_TWILIO_FROM = settings.ATTUNE_TWILIO_MESSAGING_SERVICE_SID = ""
    settings.ATTUNE_SMS_QUIET_HOURS = "late"
    found = {error.id: error.msg for error in check_sms_settings()}
    assert "21:00-08:00" in found["measures.E002"]
    assert "ATTUNE_TWILIO_AUTH_TOKEN" in found["measures.E003"]
    assert "ATTUNE_TWILIO_FROM" in found["measures.E003"]
    settings.ATTUNE_SMS_QUIET_HOURS = "21:00-08:00"
    settings.ATTUNE_TWILIO_AUTH_TOKEN, settings.ATTUNE_TWILIO_FROM = TOKEN, "+15555550100"
    assert check_sms_settings() == []


def test_segments_are_counted_as_carriers_count_them():
    from attune.measures.sms import sms_segments

    assert sms_segments("a" * 160) == ("GSM-7", 160, 1)
    assert sms_segments("a" * 161) == ("GSM-7", 161, 2)
    assert sms_segments("€" * 80) == ("GSM-7", 160, 1)  # each extension character counts twice
    assert sms_segments("opinión") == ("UCS-2", 7, 1)  # ó is not in the GSM-7 set
    assert sms_segments("ت" * 70) == ("UCS-2", 70, 1)
    assert sms_segments("ت" * 71) == ("UCS-2", 71, 2)
    assert sms_segments("😀" * 35) == ("UCS-2", 70, 1)  # two UTF-16 units each


def test_without_a_provider_the_text_shows_as_not_delivered(
    texting_client, settings, django_capture_on_commit_callbacks
):
    settings.ATTUNE_SMS_BACKEND = "attune.measures.sms.ConsoleSmsBackend"
    settings.ATTUNE_SMS_QUIET_HOURS = ""
    sent = send(texting_client, django_capture_on_commit_callbacks)
    delivery = the_delivery(sent)
    assert delivery.words == "not delivered (no text-message provider is set up)"


# An unanswered try: the provider may have taken the message -------------------------------


def test_a_message_taken_but_unanswered_is_found_not_sent_again(
    twilio, texting_client, settings, django_capture_on_commit_callbacks
):
    settings.ATTUNE_SMS_TIMEOUT_SECONDS = 0.3
    twilio.plan = [(-1, {"seconds": 0.6})]  # created, then the answer comes too late
    sent = send(texting_client, django_capture_on_commit_callbacks)
    delivery = the_delivery(sent)
    assert delivery.state == "pending" and delivery.unsure_since is not None
    assert delivery.provider_sid is None and delivery.body

    run_due_texts()

    delivery = the_delivery(sent)
    assert len(twilio.accepted) == 1  # never a second text
    assert delivery.provider_sid == twilio.messages[0]["sid"]
    assert (delivery.state, delivery.body) == ("queued", "")
    (query, *_more) = twilio.lists
    assert query["To"] == PHONE_E164 and "DateSent>" in query
    assert AccessEvent.objects.filter(detail__contains="found at the provider").exists()


def test_an_unanswered_try_that_created_nothing_is_sent_again_once(
    twilio, texting_client, settings, django_capture_on_commit_callbacks
):
    settings.ATTUNE_SMS_TIMEOUT_SECONDS = 0.3
    twilio.plan = [(0, {"seconds": 0.6})]  # nothing created, no answer in time
    sent = send(texting_client, django_capture_on_commit_callbacks)
    assert the_delivery(sent).unsure_since is not None

    run_due_texts()

    delivery = the_delivery(sent)
    assert len(twilio.accepted) == 1 and twilio.lists  # looked, found nothing, sent once
    assert delivery.state == "queued" and delivery.provider_sid == twilio.messages[0]["sid"]
    assert delivery.unsure_since is not None  # kept: the record says what happened


def test_another_message_to_the_same_number_is_not_taken_for_ours(
    twilio, texting_client, settings, django_capture_on_commit_callbacks
):
    settings.ATTUNE_SMS_TIMEOUT_SECONDS = 0.3
    first = send(texting_client, django_capture_on_commit_callbacks)  # goes: a message exists
    twilio.plan = [(0, {"seconds": 0.6})]
    second = send(texting_client, django_capture_on_commit_callbacks)
    run_due_texts()
    assert len(twilio.accepted) == 2
    assert the_delivery(second).provider_sid != the_delivery(first).provider_sid


def test_the_last_try_unanswered_still_looks_before_giving_up(
    twilio, texting_client, settings, django_capture_on_commit_callbacks
):
    settings.ATTUNE_SMS_TIMEOUT_SECONDS = 0.3
    settings.ATTUNE_SMS_MAX_ATTEMPTS = 1
    twilio.plan = [(-1, {"seconds": 0.6})]
    sent = send(texting_client, django_capture_on_commit_callbacks)
    assert the_delivery(sent).state == "pending"  # one try only, but it may have gone
    run_due_texts()
    delivery = the_delivery(sent)
    assert delivery.state == "queued" and len(twilio.accepted) == 1


def test_a_lookup_that_fails_sends_nothing_and_is_tried_again(
    twilio, texting_client, settings, django_capture_on_commit_callbacks
):
    settings.ATTUNE_SMS_TIMEOUT_SECONDS = 0.3
    twilio.plan = [(-1, {"seconds": 0.6})]
    sent = send(texting_client, django_capture_on_commit_callbacks)
    settings.ATTUNE_TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # the lookup cannot reach it
    run_due_texts()
    assert the_delivery(sent).state == "pending" and len(twilio.received) == 1
    settings.ATTUNE_TWILIO_API_BASE_URL = twilio.base_url
    run_due_texts()
    assert the_delivery(sent).state == "queued" and len(twilio.accepted) == 1
