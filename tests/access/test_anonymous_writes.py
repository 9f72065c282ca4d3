"""Anonymous failures grow the trail by a bounded amount: one entry per address, kind and hour
when they happen, one summary with the count when the hour closes."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.test import Client as HttpClient

from attune.access import anonymous, checkpoints, trail
from attune.access.models import AccessEvent, AnonymousFailureTally, TrailAction
from tests.conftest import PASSWORD


def trail_rows() -> int:
    return AccessEvent.objects.count()


def close_the_hour() -> None:
    """Pretend the hour of every open tally is over."""
    for tally in AnonymousFailureTally.objects.all():
        AnonymousFailureTally.objects.filter(pk=tally.pk).update(
            hour=tally.hour - timedelta(hours=1)
        )


def test_a_flood_of_forged_sign_in_posts_adds_one_row_then_one_summary(db):
    before = trail_rows()
    flood = HttpClient(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.50")
    for _ in range(60):
        assert flood.post("/sign-in/", {"username": "x", "password": "y"}).status_code == 403
    assert trail_rows() == before + 1
    first = AccessEvent.objects.order_by("-id").first()
    assert (first.action, first.ip) == (TrailAction.CSRF_FAILED, "203.0.113.50")
    other = HttpClient(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.51")
    other.post("/sign-in/", {})
    assert trail_rows() == before + 2  # each address has its own entry
    close_the_hour()
    assert anonymous.flush() == 1  # the lone failure of the other address needs no summary
    summary = AccessEvent.objects.order_by("-id").first()
    assert summary.action == TrailAction.CSRF_FAILED
    assert summary.ip == "203.0.113.50"
    assert summary.detail.startswith("59 more from this address in the hour from ")
    assert not AnonymousFailureTally.objects.exists()
    assert trail_rows() == before + 3
    assert trail.verify().ok


def test_unknown_sign_in_names_are_counted_together(agency):
    before = trail_rows()
    http = HttpClient(REMOTE_ADDR="203.0.113.60")
    for n in range(12):
        http.post("/sign-in/", {"username": f"nobody{n}", "password": "wrong guess"})
    failed = AccessEvent.objects.filter(action=TrailAction.SIGN_IN_FAILED)
    assert failed.count() == 1
    assert trail_rows() == before + 1
    assert AnonymousFailureTally.objects.get(subject="").count == 12


def test_failures_against_a_real_account_are_counted_per_account(agency):
    http = HttpClient(REMOTE_ADDR="203.0.113.61")
    for _ in range(3):
        http.post("/sign-in/", {"username": "ana", "password": "wrong guess"})
    http.post("/sign-in/", {"username": "nobody", "password": "wrong guess"})
    failed = AccessEvent.objects.filter(action=TrailAction.SIGN_IN_FAILED).order_by("id")
    assert [event.detail for event in failed] == ["username 'ana'", "username 'nobody'"]
    assert AnonymousFailureTally.objects.get(subject="ana").count == 3
    close_the_hour()
    checkpoints.make()  # the nightly checkpoint writes the closed hour's counts first
    last = AccessEvent.objects.order_by("-id").first()
    assert last.detail.startswith("2 more from this address (account 'ana') in the hour")


def test_oversize_bodies_from_one_address_are_counted(db):
    before = trail_rows()
    http = HttpClient(REMOTE_ADDR="203.0.113.70")
    big = "x" * (settings.ATTUNE_MAX_BODY_BYTES + 1)
    for _ in range(5):
        assert http.post("/sign-in/", {"username": big}).status_code == 413
    assert trail_rows() == before + 1
    assert AnonymousFailureTally.objects.get(action=TrailAction.BODY_TOO_LARGE).count == 5


def test_bad_link_tokens_are_counted_and_still_slowed_down(agency):
    before = trail_rows()
    http = HttpClient(REMOTE_ADDR="203.0.113.80")
    for n in range(settings.ATTUNE_LINK_OPENS_PER_MINUTE):
        assert http.get(f"/c/guess-{n}/").status_code == 404
    assert trail_rows() == before + 1
    assert http.get(f"/c/{agency.link_token}/").status_code == 429


def test_a_signed_in_staff_members_failures_are_each_trailed(agency):
    http = HttpClient(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.90")
    http.force_login(agency.therapist_a)
    for _ in range(3):
        http.post(f"/clients/{agency.client_a.pk}/edit/", {"chosen_name": "Forged"})
    assert (
        AccessEvent.objects.filter(action=TrailAction.CSRF_FAILED, actor=agency.therapist_a).count()
        == 3
    )


def test_a_right_password_after_failures_still_signs_in(agency):
    http = HttpClient(REMOTE_ADDR="203.0.113.91")
    http.post("/sign-in/", {"username": "ana", "password": "wrong guess"})
    response = http.post("/sign-in/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302
