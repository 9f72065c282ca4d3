"""The access trail page reads as people write: staff by name, times in the agency's zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.test import Client as HttpClient
from django.test import override_settings
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import AccessEvent, TrailAction


def _leader(agency) -> HttpClient:
    http = HttpClient()
    http.force_login(agency.leader)
    return http


def _latest_read(agency) -> AccessEvent:
    trail.record(
        actor=Actor(user=agency.therapist_a),
        action=TrailAction.VIEW,
        client_id=agency.client_a.pk,
        object_type="client",
        object_ref=agency.client_a.pk,
        section="growth_plan",
    )
    return AccessEvent.objects.order_by("-id").first()


def test_it_shows_staff_by_name_and_sections_in_words(agency):
    _latest_read(agency)
    body = _leader(agency).get(f"/agency/trail/?client={agency.client_a.case_code}").content
    body = body.decode()
    assert "<td>Ana Therapist</td>" in body
    assert "<td>ana</td>" not in body
    assert "<td>growth plan</td>" in body


def test_it_has_no_row_numbers_for_people_to_read(agency):
    event = _latest_read(agency)
    body = _leader(agency).get("/agency/trail/").content.decode()
    assert '<th scope="col">#</th>' not in body
    assert f"<td>{event.seq}</td>" not in body


@override_settings(TIME_ZONE="America/Chicago")
def test_it_shows_times_readably_in_the_agencys_time_zone(agency):
    event = _latest_read(agency)
    local = event.at.astimezone(ZoneInfo("America/Chicago"))
    body = _leader(agency).get("/agency/trail/").content.decode()
    assert "When (America/Chicago)" in body
    assert f"{local.day} {local:%b %Y, %H:%M}" in body
    assert event.at.strftime("%Y-%m-%d %H:%M:%S") not in body


def test_the_agency_time_zone_is_djangos(settings):
    assert settings.USE_TZ is True
    assert str(timezone.get_default_timezone()) == settings.TIME_ZONE


def test_it_filters_by_a_staff_member_chosen_by_name(agency):
    _latest_read(agency)
    http = _leader(agency)
    body = http.get("/agency/trail/").content.decode()
    assert '<option value="ana">Ana Therapist</option>' in body
    body = http.get("/agency/trail/?staff=ana").content.decode()
    assert "Showing: staff member Ana Therapist." in body
    assert '<option value="ana" selected>Ana Therapist</option>' in body


def test_a_client_link_is_named_not_numbered(agency):
    from attune.clients.models import ClientLink

    link = ClientLink.objects.filter(client=agency.client_a).first()
    http = HttpClient()
    http.get(f"/c/{agency.link_token}/")
    body = _leader(agency).get(f"/agency/trail/?client={agency.client_a.case_code}").content
    body = body.decode()
    assert "The client, through a private link" in body
    assert f"client link {link.pk}" not in body


def test_attune_time_zone_sets_djangos_time_zone(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "ATTUNE_TIME_ZONE": "America/Chicago",
        "ATTUNE_VAR_DIR": str(tmp_path),
        "ATTUNE_AUTOGENERATE_SECRETS": "true",
        "DJANGO_SETTINGS_MODULE": "attune.config.settings",
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.utils import timezone; "
        "print(settings.TIME_ZONE, settings.USE_TZ, timezone.get_default_timezone_name())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["America/Chicago", "True", "America/Chicago"]
