"""Named personas shared by the tests: two therapists, a supervisor, a leader, a client holding
a link, and an anonymous visitor.  Everything is built through the real services."""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.hashers import make_password

from attune.access.actor import Actor
from attune.access.models import Role, StaffUser
from attune.clients import services as client_services
from attune.clients.models import Client
from attune.relationships.models import SupervisionPair

PASSWORD = "correct horse battery staple 7"


@dataclass
class Agency:
    therapist_a: StaffUser
    therapist_b: StaffUser
    supervisor: StaffUser
    leader: StaffUser
    client_a: Client
    client_b: Client
    link_token: str

    def staff(self, persona: str) -> StaffUser | None:
        return getattr(self, persona, None) if persona != "client" else None


@functools.cache
def password_hash() -> str:
    """Return PASSWORD hashed once with the real (deliberately slow) Argon2 settings."""
    return make_password(PASSWORD)


def make_staff(username: str, role: str, **extra) -> StaffUser:
    user = StaffUser(
        username=username,
        role=role,
        display_name=extra.pop("display_name", username.title()),
        **extra,
    )
    user.password = password_hash()
    user.save()
    return user


APPEND_ONLY = importlib.import_module("attune.access.migrations.0003_make_trail_append_only")
HEAD_GUARD = importlib.import_module("attune.access.migrations.0005_protect_trail_head")


def _flushes_database(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    """Texts go out whatever the hour the tests run at; quiet-hour tests set their own hours."""
    settings.ATTUNE_SMS_QUIET_HOURS = ""


@pytest.fixture(autouse=True)
def trail_triggers_allow_flush(request):
    """Let Django empty an SQLite test database between transactional tests.

    SQLite empties tables with DELETE, which the trail's append-only triggers refuse; they are
    removed just for the flush and put back before the next test.
    """
    if not _flushes_database(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        for statement in APPEND_ONLY.SQLITE + HEAD_GUARD.SQLITE:
            cursor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
    yield
    with connection.cursor() as cursor:
        for statement in APPEND_ONLY.REVERSE["sqlite"] + HEAD_GUARD.REVERSE["sqlite"]:
            cursor.execute(statement.replace("DROP TRIGGER", "DROP TRIGGER IF EXISTS"))


@pytest.fixture
def agency(db) -> Agency:
    therapist_a = make_staff("ana", Role.THERAPIST, display_name="Ana Therapist")
    therapist_b = make_staff("ben", Role.THERAPIST, display_name="Ben Therapist")
    supervisor = make_staff("sol", Role.SUPERVISOR, display_name="Sol Supervisor")
    leader = make_staff("lee", Role.LEADER, display_name="Lee Leader")
    SupervisionPair.objects.create(
        supervisor=supervisor, supervisee=therapist_a, starts_on=date(2025, 1, 1)
    )
    system = Actor.system()
    client_a = client_services.client_create(
        actor=system,
        therapist=therapist_a,
        chosen_name="Zoë-Ann O'Brien",
        pronouns="they/them",
        legal_name="Legalname-Alpha Person",
        email="alpha@example.org",
        contact_consent="email",
        preferred_language="es",
        interpreter_needed="yes",
    )
    client_b = client_services.client_create(
        actor=system,
        therapist=therapist_b,
        chosen_name="Dương Thị Hoa",
        pronouns="she/her",
        legal_name="Legalname-Bravo Person",
        email="bravo@example.org",
        contact_consent="email",
        preferred_language="vi",
    )
    issued = client_services.link_issue(actor=Actor(user=therapist_a), client=client_a)
    return Agency(therapist_a, therapist_b, supervisor, leader, client_a, client_b, issued.token)
