"""Check-ins on a schedule: each due one is sent once, in the client's language, by consent."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client as HttpClient
from django.utils import timezone

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.clients import services as client_services
from attune.measures import services
from attune.measures.models import CheckIn, CheckInSchedule, ScheduleState
from attune.measures.sms import LocmemSmsBackend
from tests.measures.schedules import make_schedule

BASE = "https://attune.example.org/"


def run(today: date | None = None) -> int:
    return services.scheduled_checkins_due(actor=Actor.system(), base_url=BASE, today=today)


def test_it_sends_a_due_checkin_once_and_moves_the_date_on(
    agency, django_capture_on_commit_callbacks
):
    schedule = make_schedule(agency.client_a, weeks=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == 1
        assert run() == 0
    checkin = CheckIn.objects.get()
    assert checkin.schedule == schedule and checkin.due_on == timezone.localdate()
    assert checkin.instrument.name == "phq9"
    schedule.refresh_from_db()
    assert schedule.next_due_on == timezone.localdate() + timedelta(weeks=2)
    (message,) = mail.outbox
    assert message.to == ["alpha@example.org"]
    assert "https://attune.example.org/c/" in message.body
    # No health information: the measure's name is not in the message.
    for word in ("PHQ", "depress", "session", "therap", "mood"):
        assert word.lower() not in (message.subject + message.body).lower()
    entry = AccessEvent.objects.filter(object_type="checkin").get()
    assert f"by schedule {schedule.pk}" in entry.detail


def test_the_command_can_run_twice(agency, django_capture_on_commit_callbacks):
    make_schedule(agency.client_a)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_scheduled_checkins", "--base-url", BASE)
        call_command("send_scheduled_checkins", "--base-url", BASE)
    assert CheckIn.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_command_needs_the_address_clients_open(agency, settings):
    from django.core.management.base import CommandError

    settings.ATTUNE_BASE_URL = ""
    with pytest.raises(CommandError, match="ATTUNE_BASE_URL"):
        call_command("send_scheduled_checkins")


def test_it_sends_in_the_clients_language(agency, django_capture_on_commit_callbacks):
    client_services.client_page_language_set(
        actor=Actor.system(), client=agency.client_a, language="es"
    )
    make_schedule(agency.client_a)
    with django_capture_on_commit_callbacks(execute=True):
        run()
    (message,) = mail.outbox
    assert "opinión" in message.subject or "opini" in message.body


def test_it_sends_by_text_message_only_with_consent(agency, django_capture_on_commit_callbacks):
    type(agency.client_a).objects.filter(pk=agency.client_a.pk).update(
        contact_consent="sms", phone="+15550100"
    )
    LocmemSmsBackend.outbox.clear()
    make_schedule(agency.client_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == 1
    assert mail.outbox == []
    (sms,) = LocmemSmsBackend.outbox
    assert sms["to"] == "+15550100" and "/c/" in sms["body"]


def test_it_issues_but_does_not_message_a_client_without_consent(
    agency, django_capture_on_commit_callbacks
):
    type(agency.client_a).objects.filter(pk=agency.client_a.pk).update(contact_consent="none")
    make_schedule(agency.client_a)
    with django_capture_on_commit_callbacks(execute=True):
        run()
    assert CheckIn.objects.count() == 1
    assert mail.outbox == []
    assert "no consented contact" in AccessEvent.objects.filter(object_type="checkin").get().detail


def test_a_paused_schedule_sends_nothing_until_resumed(agency):
    schedule = make_schedule(agency.client_a)
    therapist = Actor(user=agency.therapist_a)
    services.schedule_change(actor=therapist, schedule=schedule, change="pause")
    later = timezone.localdate() + timedelta(weeks=5)
    assert run(later) == 0
    services.schedule_change(actor=therapist, schedule=schedule, change="resume", today=later)
    schedule.refresh_from_db()
    assert schedule.next_due_on == later  # nothing owed for the paused weeks
    assert run(later) == 1
    assert CheckIn.objects.get().due_on == later


def test_a_stopped_schedule_never_sends_and_cannot_resume(agency):
    schedule = make_schedule(agency.client_a)
    therapist = Actor(user=agency.therapist_a)
    services.schedule_change(actor=therapist, schedule=schedule, change="stop")
    assert run() == 0
    with pytest.raises(services.ScheduleError):
        services.schedule_change(actor=therapist, schedule=schedule, change="resume")
    # Stopped, it no longer blocks a new schedule of the same measure.
    make_schedule(agency.client_a)


def test_a_closed_client_gets_nothing(agency):
    make_schedule(agency.client_a)
    client_services.client_close(
        actor=Actor(user=agency.therapist_a), client=agency.client_a, reason="completed"
    )
    assert run(timezone.localdate() + timedelta(weeks=8)) == 0
    assert CheckIn.objects.count() == 0
    with pytest.raises(services.ScheduleError, match="closed"):
        make_schedule(agency.client_a, instrument_name="gad7")


def test_a_missed_run_sends_once_not_once_per_period(agency):
    schedule = make_schedule(agency.client_a, weeks=1)
    today = timezone.localdate()
    assert run(today + timedelta(days=23)) == 1
    schedule.refresh_from_db()
    assert schedule.next_due_on == today + timedelta(weeks=4)


def test_the_database_refuses_a_second_checkin_for_the_same_due_date(agency):
    schedule = make_schedule(agency.client_a)
    run()
    with pytest.raises(IntegrityError), transaction.atomic():
        services.checkin_send(
            actor=Actor.system(),
            client=agency.client_a,
            instrument=schedule.instrument,
            base_url=BASE,
            schedule=schedule,
            due_on=timezone.localdate(),
        )
    assert CheckIn.objects.count() == 1


def test_one_live_schedule_per_measure(agency):
    make_schedule(agency.client_a)
    with pytest.raises(services.ScheduleError, match="already scheduled"):
        make_schedule(agency.client_a, weeks=4)


def test_the_clients_goals_are_asked_with_the_measure(agency):
    make_schedule(agency.client_a, instrument_name="session-checkin", goals=["Walk daily"])
    run()
    checkin = CheckIn.objects.get()
    assert checkin.goal_texts == ["Walk daily"]
    names = [stored.name for stored, _ in services.checkin_instruments(checkin)]
    assert names == ["session-checkin", "goals-checkin"]


def test_the_reminder_covers_scheduled_checkins(agency, django_capture_on_commit_callbacks):
    make_schedule(agency.client_a)
    run()
    later = timezone.now() + timedelta(hours=49)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.checkin_reminders_due(actor=Actor.system(), now=later) == 1
    assert "/c/" not in mail.outbox[-1].body


def test_the_therapist_schedules_pauses_and_stops_from_the_measures_page(agency):
    http = HttpClient()
    http.force_login(agency.therapist_a)
    page = f"/clients/{agency.client_a.pk}/measures/"
    assert "Schedule this measure" in http.get(page).content.decode()
    response = http.post(
        f"{page}schedules/",
        {
            "schedule-instrument": "bundled:gad7",
            "schedule-interval_weeks": "3",
            "schedule-first_due_on": timezone.localdate().isoformat(),
            "schedule-goals": "",
            # The client reads Spanish and the GAD-7 is in English only: the therapist ticks.
            "schedule-other_language": "on",
        },
    )
    assert response.status_code == 302
    schedule = CheckInSchedule.objects.get()
    assert schedule.interval_weeks == 3 and schedule.instrument.name == "gad7"
    body = http.get(page).content.decode()
    assert "3 weeks" in body and "Pause" in body
    http.post(f"{page}schedules/{schedule.pk}/", {"change": "pause"})
    schedule.refresh_from_db()
    assert schedule.state == ScheduleState.PAUSED
    http.post(f"{page}schedules/{schedule.pk}/", {"change": "stop"})
    schedule.refresh_from_db()
    assert schedule.state == ScheduleState.STOPPED
    trail = AccessEvent.objects.filter(object_type="checkin_schedule").values_list(
        "detail", flat=True
    )
    assert list(trail) == [
        "gad7 every 3 week(s) from " + str(timezone.localdate()),
        "schedule paused",
        "schedule stopped",
    ]


def test_a_bad_schedule_form_keeps_what_was_typed(agency):
    http = HttpClient()
    http.force_login(agency.therapist_a)
    response = http.post(
        f"/clients/{agency.client_a.pk}/measures/schedules/",
        {
            "schedule-instrument": "bundled:phq9",
            "schedule-interval_weeks": "60",
            "schedule-first_due_on": timezone.localdate().isoformat(),
            "schedule-goals": "Sleep",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose 1 to 52 weeks." in body
    assert 'value="60"' in body and "Sleep</textarea>" in body
    assert CheckInSchedule.objects.count() == 0


def test_another_therapist_cannot_change_the_schedule(agency):
    schedule = make_schedule(agency.client_a)
    http = HttpClient()
    http.force_login(agency.therapist_b)
    url = f"/clients/{agency.client_a.pk}/measures/schedules/{schedule.pk}/"
    assert http.post(url, {"change": "stop"}).status_code == 404
    schedule.refresh_from_db()
    assert schedule.state == ScheduleState.ACTIVE


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_due_checkin_once(agency):
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serialises every writer)")
    for client in (agency.client_a, agency.client_b):
        make_schedule(client)
    barrier = threading.Barrier(4)
    counts = []

    def send() -> None:
        try:
            barrier.wait()
            counts.append(run())
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 2
    assert CheckIn.objects.count() == 2
    assert AccessEvent.objects.filter(object_type="checkin").count() == 2


def test_the_new_encrypted_fields_are_rotated_with_the_others():
    from attune.clients.management.commands.rotate_field_keys import encrypted_columns

    columns = {model.__name__: names for model, names in encrypted_columns()}
    assert columns["CheckInSchedule"] == ["goal_texts"]
    assert columns["CheckInDraft"] == ["data"]


def test_a_measure_not_in_the_clients_language_is_not_scheduled_without_the_tick(agency):
    http = HttpClient()
    http.force_login(agency.therapist_a)
    response = http.post(
        f"/clients/{agency.client_a.pk}/measures/schedules/",
        {
            "schedule-instrument": "bundled:gad7",
            "schedule-interval_weeks": "4",
            "schedule-first_due_on": timezone.localdate().isoformat(),
            "schedule-goals": "",
        },
    )
    assert response.status_code == 400
    assert "is not available in Spanish" in response.content.decode()
    assert not CheckInSchedule.objects.exists()
