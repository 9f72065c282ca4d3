"""The demo's check-ins with the client's words: an alert with a comment, and recent words."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from attune.access.models import Role, StaffUser
from attune.demo.agency import generate_agency
from attune.demo.comments import LOW_WORDS, seed_checkin_comments
from attune.demo.repairs import seed_repairs
from attune.measures.queries import open_signal_rows, recent_comments


def test_the_demo_shows_an_alert_with_the_clients_words_and_recent_words(db):
    generate_agency(clients=12, therapists=2, supervisors=1, identities=False)
    seed_repairs()
    assert seed_checkin_comments() == 4
    assert seed_checkin_comments() == 0  # once only
    first = StaffUser.objects.filter(role=Role.THERAPIST).order_by("id").first()
    rows = [row for row in open_signal_rows(first).rupture if row.signal.state == "open"]
    (row,) = rows  # one alert for the low check-in, whatever its reasons
    assert row.comment == LOW_WORDS[0]
    assert len(row.signal.reasons) == 3
    words = recent_comments(user=first, since=timezone.now() - timedelta(days=7))
    assert any("breathing" in found.comment for found in words)
