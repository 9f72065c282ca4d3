"""Leaders set up pairs; supervisors plan and record meetings; open actions carry forward."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.relationships.models import SupervisionPair
from attune.supervision import services
from attune.supervision.models import MeetingAction, SupervisionMeeting
from attune.supervision.queries.agendas import meeting_agenda
from tests.supervision.builders import meeting, pair_of


def _as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_a_leader_adds_and_ends_a_pair_on_the_page(agency):
    http = _as(agency.leader)
    response = http.post(
        reverse("supervision:pair_new"),
        {
            "supervisor": agency.supervisor.pk,
            "supervisee": agency.therapist_b.pk,
            "starts_on": "2026-02-01",
        },
    )
    assert response.status_code == 302
    pair = SupervisionPair.objects.get(supervisee=agency.therapist_b)
    assert AccessEvent.objects.filter(
        object_type="supervision_pair", object_ref=str(pair.pk)
    ).exists()
    response = http.post(reverse("supervision:pair_end", args=[pair.pk]), {"ends_on": "2026-03-31"})
    pair.refresh_from_db()
    assert pair.ends_on == date(2026, 3, 31)


def test_an_overlapping_or_wrong_pair_is_refused_with_a_message(agency):
    http = _as(agency.leader)
    response = http.post(
        reverse("supervision:pair_new"),
        {
            "supervisor": agency.supervisor.pk,
            "supervisee": agency.therapist_a.pk,
            "starts_on": "2026-02-01",
        },
    )
    assert response.status_code == 200
    assert "already supervised by" in response.content.decode()
    with pytest.raises(services.PairError):
        services.pair_create(
            actor=Actor(user=agency.leader),
            supervisor=agency.therapist_b,
            supervisee=agency.therapist_a,
            starts_on=date(2026, 1, 1),
        )
    assert SupervisionPair.objects.count() == 1


def test_a_meeting_is_planned_once_per_day_and_within_the_pair(agency):
    pair = pair_of(agency.therapist_a)
    actor = Actor(user=agency.supervisor)
    services.meeting_plan(actor=actor, pair=pair, meets_on=date(2026, 3, 2))
    with pytest.raises(services.MeetingError, match="already a meeting"):
        services.meeting_plan(actor=actor, pair=pair, meets_on=date(2026, 3, 2))
    with pytest.raises(services.MeetingError, match="in force"):
        services.meeting_plan(actor=actor, pair=pair, meets_on=date(2024, 3, 2))
    assert SupervisionMeeting.objects.count() == 1


def test_notes_and_actions_are_recorded_and_open_actions_carry_into_the_next_agenda(agency):
    pair = pair_of(agency.therapist_a)
    actor = Actor(user=agency.supervisor)
    first = meeting(pair, timezone.localdate() - timedelta(days=14))
    services.meeting_record(
        actor=actor,
        meeting=first,
        status="held",
        notes="Talked about interpreters.",
        version=1,
        actions=["Book an interpreter briefing", "Read the formulation guide"],
    )
    done, still_open = MeetingAction.objects.order_by("pk")
    services.action_close(actor=actor, action=done, status="done")
    with pytest.raises(services.MeetingError):
        services.action_close(actor=actor, action=done, status="done")
    following = meeting(pair, timezone.localdate())
    agenda = meeting_agenda(actor=actor, meeting=following)
    assert [a.text for a in agenda.carried_actions] == ["Read the formulation guide"]
    first.refresh_from_db()
    assert first.notes == "Talked about interpreters." and first.version == 2
    # Stored encrypted: the words are not in the table.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM supervision_supervisionmeeting")
        assert "interpreters" not in cursor.fetchone()[0]


def test_actions_need_a_held_meeting(agency):
    found = meeting(pair_of(agency.therapist_a))
    with pytest.raises(services.MeetingError):
        services.meeting_record(
            actor=Actor(user=agency.supervisor),
            meeting=found,
            status="planned",
            notes="",
            version=1,
            actions=["x"],
        )


def test_two_tabs_saving_the_same_meeting_never_overwrite_silently(agency):
    found = meeting(pair_of(agency.therapist_a))
    http = _as(agency.supervisor)
    url = reverse("supervision:meeting_record", args=[found.pk])
    first = http.post(url, {"status": "held", "notes": "From the first tab", "version": 1})
    assert first.status_code == 302
    second = http.post(url, {"status": "held", "notes": "From the second tab", "version": 1})
    body = second.content.decode()
    assert second.status_code == 200
    assert "Someone saved this meeting after you opened it" in body
    assert "From the second tab" in body  # what the person typed is kept
    found.refresh_from_db()
    assert found.notes == "From the first tab"


def test_the_supervisee_sees_notes_and_where_to_choose_what_to_bring(agency):
    found = meeting(pair_of(agency.therapist_a))
    services.meeting_record(
        actor=Actor(user=agency.supervisor),
        meeting=found,
        status="held",
        notes="Shared notes",
        version=1,
    )
    body = (
        _as(agency.therapist_a)
        .get(reverse("supervision:meeting_detail", args=[found.pk]))
        .content.decode()
    )
    assert "What I will bring" in body and "Shared notes" in body
    assert 'name="notes"' not in body  # the supervisee reads; the supervisor records


def test_the_unique_meeting_day_is_a_database_constraint(agency):
    pair = pair_of(agency.therapist_a)
    SupervisionMeeting.objects.create(
        pair=pair, meets_on=date(2026, 5, 5), created_by=agency.supervisor
    )
    with pytest.raises(IntegrityError):
        SupervisionMeeting.objects.create(
            pair=pair, meets_on=date(2026, 5, 5), created_by=agency.supervisor
        )
