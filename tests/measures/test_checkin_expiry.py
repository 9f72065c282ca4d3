"""A check-in's link lasts ATTUNE_CHECKIN_DAYS (4 by default), not the week of other links."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.measures.checkins import send_checkin

pytestmark = pytest.mark.django_db


def test_a_checkin_expires_after_four_days_by_default(agency):
    checkin = send_checkin(agency.client_a).checkin
    assert abs(checkin.expires_at - checkin.sent_at - timedelta(days=4)) < timedelta(seconds=1)
    assert checkin.link.expires_at == checkin.expires_at


def test_the_agency_sets_another_number_of_days(agency, settings):
    settings.ATTUNE_CHECKIN_DAYS = 2
    checkin = send_checkin(agency.client_a).checkin
    assert abs(checkin.expires_at - checkin.sent_at - timedelta(days=2)) < timedelta(seconds=1)
