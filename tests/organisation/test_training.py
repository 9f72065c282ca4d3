"""Training records: staff record their own, leaders see hours and topics, never reflections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from attune.access.actor import Actor
from attune.organisation import services
from attune.organisation.models import TrainingRecord
from attune.organisation.queries import training_summary

REFLECTION = "I noticed I assumed the family would want to be involved."


def test_it_records_a_training_with_a_private_reflection(agency, client):
    client.force_login(agency.therapist_a)
    response = client.post(
        reverse("organisation:training_new"),
        {
            "topic": "interpreters",
            "title": "Working with interpreters in therapy",
            "attended_on": "2026-02-03",
            "hours": "3",
            "reflection": REFLECTION,
        },
    )
    assert response.status_code == 302
    record = TrainingRecord.objects.get()
    assert (record.staff, record.hours) == (agency.therapist_a, Decimal("3.0"))
    page = client.get(reverse("organisation:training_list")).content.decode()
    assert "I noticed I assumed" in page
    client.force_login(agency.therapist_b)
    assert (
        "I noticed I assumed"
        not in client.get(reverse("organisation:training_list")).content.decode()
    )


def test_it_refuses_training_in_the_future_or_without_hours(agency, client):
    client.force_login(agency.therapist_a)
    response = client.post(
        reverse("organisation:training_new"),
        {"topic": "trauma", "title": "x", "attended_on": "2999-01-01", "hours": "0"},
    )
    assert response.status_code == 200
    assert not TrainingRecord.objects.exists()


def test_it_summarises_hours_by_topic_and_staff_for_the_leader(agency, client):
    for staff, topic, hours in (
        (agency.therapist_a, "cultural_humility", 6),
        (agency.therapist_a, "trauma", 2),
        (agency.therapist_b, "cultural_humility", 3),
    ):
        services.training_record_add(
            actor=Actor(user=staff),
            staff=staff,
            topic=topic,
            title="Course",
            attended_on=date(2026, 1, 10),
            hours=hours,
            reflection=REFLECTION,
        )
    summary = training_summary()
    assert summary.total_hours == 11
    assert ("Cultural humility", 9, 2) in summary.by_topic
    client.force_login(agency.leader)
    page = client.get(reverse("organisation:training_summary")).content.decode()
    assert "Ana Therapist" in page and "11" in page
    assert "I noticed I assumed" not in page
