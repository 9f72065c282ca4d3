"""The synthetic agency: the promised size and mix, the same every time for the same seed."""

from __future__ import annotations

from attune.access.models import Role, StaffUser
from attune.clients.models import Client, IdentityCategory
from attune.demo.agency import demo_logins, generate_agency
from attune.relationships.models import SupervisionPair


def snapshot() -> list[tuple]:
    return [
        (c.case_code, c.chosen_name, c.pronouns, c.preferred_language, c.therapist.username)
        for c in Client.objects.select_related("therapist").order_by("id")
    ]


def test_it_seeds_the_demo_agency(db):
    summary = generate_agency()
    assert summary.clients == Client.objects.count() == 150
    assert StaffUser.objects.filter(role=Role.THERAPIST).count() == 8
    assert StaffUser.objects.filter(role=Role.SUPERVISOR).count() == 2
    assert StaffUser.objects.filter(role=Role.LEADER).count() == 1
    assert SupervisionPair.objects.count() == 8
    languages = set(Client.objects.values_list("preferred_language", flat=True))
    assert {"en", "es", "vi", "ase"} <= languages
    pronouns = {c.pronouns for c in Client.objects.all()}
    assert {"she/her", "he/him", "they/them"} <= pronouns
    scripts = {c.chosen_name for c in Client.objects.all() if not c.chosen_name.isascii()}
    assert len(scripts) > 10


def test_it_gives_every_demo_client_a_varied_self_identification(db):
    generate_agency()
    assert not Client.objects.filter(latest_identity__isnull=True).exists()
    identities = [c.latest_identity for c in Client.objects.select_related("latest_identity")]
    assert sum(1 for i in identities if i.declined) > 10
    assert (
        sum(1 for i in identities if "religion" not in i.answers and "religion" not in i.declined)
        > 10
    )
    multi = [
        i for i in identities if len(i.answers.get("race_ethnicity", {}).get("categories", [])) > 2
    ]
    assert multi, "some clients pick several race and ethnicity categories"
    assert sum(1 for i in identities if len(i.answers["languages"]) > 1) > 10
    assert IdentityCategory.objects.filter(question="accessibility").exists()


def test_it_is_deterministic_for_a_seed(db, django_db_blocker):
    generate_agency(clients=30, therapists=3, seed=5)
    first = snapshot()
    Client.objects.all().delete()
    SupervisionPair.objects.all().delete()
    StaffUser.objects.all().delete()
    generate_agency(clients=30, therapists=3, seed=5)
    assert snapshot() == first


def test_it_scales_to_benchmark_sizes(db):
    generate_agency(clients=2000, therapists=20, supervisors=2)
    assert Client.objects.count() == 2000
    per_therapist = Client.objects.filter(therapist__username="therapist1").count()
    assert per_therapist == 100


def test_it_prints_the_demo_logins(db):
    generate_agency(clients=5, therapists=2)
    text = demo_logins("http://127.0.0.1:8000/")
    assert "therapist1" in text and "supervisor1" in text and "leader" in text
    assert "attune-demo-2026" in text
