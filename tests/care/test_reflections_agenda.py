"""``shared_reflections``: what a supervisee shared with their supervisor, for an agenda."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.care.models import Reflection, ReflectionTag
from attune.care.queries import shared_reflections
from attune.relationships.models import SupervisionPair
from tests.care.reflection_builders import share, unshare, write
from tests.conftest import make_staff


def agenda(agency, *, since=None, until=None, actor=None, supervisee=None):
    today = timezone.localdate()
    return shared_reflections(
        actor=actor or Actor(user=agency.supervisor),
        supervisor=agency.supervisor,
        supervisee=supervisee or agency.therapist_a,
        since=since or today - timedelta(days=30),
        until=until or today,
    )


def backdate(reflection, days: int) -> None:
    Reflection.objects.filter(pk=reflection.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def test_it_returns_the_shared_entries_of_the_period_decrypted_with_tags(agency):
    about_client = write(
        agency.therapist_a,
        "Shared note",
        client=agency.client_a,
        tags=[ReflectionTag.POWER, ReflectionTag.ASSUMPTION],
        answers={"my_identities": "My training shaped what I called resistance"},
    )
    without_client = write(agency.therapist_a, "No client here", tags=["systemic"])
    write(agency.therapist_a, "Never shared")
    too_old = write(agency.therapist_a, "Shared but old")
    backdate(too_old, 60)
    for entry in (about_client, without_client, too_old):
        share(entry, agency.supervisor)

    found = agenda(agency)

    assert [entry.pk for entry in found] == [about_client.pk, without_client.pk]
    first, second = found
    assert first.tags == ["assumption", "power"] and second.tags == ["systemic"]
    assert first.client == agency.client_a and second.client is None
    assert first.answers == {"my_identities": "My training shaped what I called resistance"}
    assert first.text == "Shared note" and first.created_at.date() == timezone.localdate()
    assert first.answered_prompts[0][1] == "My training shaped what I called resistance"
    trailed = AccessEvent.objects.filter(object_type="reflections").latest("id")
    assert trailed.actor == agency.supervisor and trailed.detail.startswith("2 shared entries")
    assert "resistance" not in trailed.detail


def test_the_period_includes_both_end_days(agency):
    entry = write(agency.therapist_a, "On the edge")
    share(entry, agency.supervisor)
    today = timezone.localdate()
    assert agenda(agency, since=today, until=today) == [entry]
    assert agenda(agency, since=today + timedelta(days=1), until=today + timedelta(days=2)) == []
    assert agenda(agency, since=date(2020, 1, 1), until=today - timedelta(days=1)) == []


def test_an_unshared_entry_leaves_the_agenda(agency):
    entry = write(agency.therapist_a, "Shared, then taken back")
    share(entry, agency.supervisor)
    assert agenda(agency) == [entry]
    unshare(entry)
    assert agenda(agency) == []
    share(entry, agency.supervisor)  # shared again: a new sharing, the old one kept
    assert agenda(agency) == [entry]
    assert entry.sharings.count() == 2


def test_nothing_comes_when_the_pair_is_not_in_force(agency):
    entry = write(agency.therapist_a, "Shared")
    share(entry, agency.supervisor)
    SupervisionPair.objects.filter(supervisee=agency.therapist_a).update(
        starts_on=timezone.localdate() + timedelta(days=1)
    )
    assert agenda(agency) == []


def test_entries_shared_with_another_supervisor_are_not_on_this_agenda(agency):
    other = make_staff("sue", "supervisor")
    SupervisionPair.objects.create(
        supervisor=other, supervisee=agency.therapist_a, starts_on=date(2025, 1, 1)
    )
    entry = write(agency.therapist_a, "For Sue only")
    share(entry, other)
    assert agenda(agency) == []
    assert agenda(agency, supervisee=agency.therapist_b) == []


def test_only_the_supervisor_the_supervisee_or_the_system_may_ask(agency):
    share(write(agency.therapist_a, "Shared"), agency.supervisor)
    assert len(agenda(agency, actor=Actor(user=agency.therapist_a))) == 1
    assert len(agenda(agency, actor=Actor.system())) == 1
    for outsider in (agency.therapist_b, agency.leader):
        with pytest.raises(Http404):
            agenda(agency, actor=Actor(user=outsider))


def test_the_supervisors_page_lists_what_each_supervisee_shared(agency):
    from tests.care.test_reflections import signed_in

    shared = write(agency.therapist_a, "Shared one", tags=["countertransference"])
    write(agency.therapist_a, "Private one")
    share(shared, agency.supervisor)
    body = signed_in(agency.supervisor).get("/reflections/shared/").content.decode()
    assert "Ana Therapist" in body and "Countertransference" in body
    assert body.count("/reflections/") - body.count("/reflections/shared/") == 1
