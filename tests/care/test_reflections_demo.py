"""The demo's journal: a few entries by one supervised therapist, exactly one shared."""

from __future__ import annotations

from attune.care.models import Reflection, ReflectionSharing
from attune.demo.agency import generate_agency
from attune.demo.reflections import seed_reflections


def test_the_demo_gives_one_therapist_a_few_entries_and_shares_one(db):
    generate_agency(clients=12, therapists=2, supervisors=1)
    assert seed_reflections() == 3
    authors = set(Reflection.objects.values_list("author__username", flat=True))
    assert authors == {"therapist1"}
    sharing = ReflectionSharing.objects.get()
    assert sharing.supervisor.username == "supervisor1" and sharing.unshared_at is None
    assert Reflection.objects.filter(client__isnull=True).count() == 1
    assert Reflection.objects.filter(session__isnull=False).count() == 1


def test_the_demo_writes_nothing_without_a_supervisor(db):
    generate_agency(clients=4, therapists=1, supervisors=0)
    assert seed_reflections() == 0
