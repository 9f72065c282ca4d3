"""Private client links: random, hashed, bound, expiring, single use, rate-limited, private."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.test import Client as HttpClient
from django.utils import timezone
from django.utils.html import escape

from attune.access.actor import Actor
from attune.access.models import AccessEvent, AnonymousFailureTally, TrailAction
from attune.clients.models import ClientLink
from attune.clients.services import link_issue
from attune.clients.tokens import token_hash


def open_link(token: str, ip: str = "192.0.2.50", language: str = "en"):
    """Open a link as a client's browser would, choosing the page language if it opens."""
    http = HttpClient(REMOTE_ADDR=ip)
    response = http.get(f"/c/{token}/")
    if response.status_code == 302:
        http.post("/c/language/", {"language": language})
    return http, response


def test_it_issues_256_bit_tokens_and_stores_only_their_hash(agency):
    issued = link_issue(actor=Actor(user=agency.therapist_a), client=agency.client_a)
    assert len(issued.token) >= 43  # 32 bytes in URL-safe base64
    stored = ClientLink.objects.get(pk=issued.link.pk)
    assert stored.token_hash == token_hash(issued.token)
    assert issued.token not in {getattr(stored, f.attname) for f in ClientLink._meta.fields}
    assert stored.expires_at - stored.created_at >= timedelta(days=settings.ATTUNE_LINK_DAYS - 1)


def test_it_exchanges_the_token_for_a_session_at_a_clean_url(agency):
    http, response = open_link(agency.link_token)
    assert response.status_code == 302
    assert response["Location"] == "/c/"
    page = http.get("/c/")
    assert page.status_code == 200
    assert escape(agency.client_a.chosen_name) in page.content.decode()
    assert agency.link_token not in page.content.decode()
    for answer in (response, page):
        assert answer["Referrer-Policy"] == "no-referrer"
        assert "no-store" in answer["Cache-Control"]


def test_it_binds_a_link_to_its_own_client_only(agency):
    http, _ = open_link(agency.link_token)
    body = http.get("/c/").content.decode()
    assert agency.client_b.chosen_name not in body
    assert agency.client_a.legal_name not in body


def test_it_gives_the_same_answer_for_bad_expired_and_used_tokens(agency):
    expired = link_issue(actor=Actor(user=agency.therapist_a), client=agency.client_a)
    ClientLink.objects.filter(pk=expired.link.pk).update(
        created_at=timezone.now() - timedelta(days=9), expires_at=timezone.now() - timedelta(days=1)
    )
    used = link_issue(actor=Actor(user=agency.therapist_a), client=agency.client_a)
    ClientLink.objects.filter(pk=used.link.pk).update(used_at=timezone.now())
    tampered = agency.link_token[:-1] + ("A" if agency.link_token[-1] != "A" else "B")
    answers = [open_link(token)[1] for token in ("nonsense", expired.token, used.token, tampered)]
    assert {answer.status_code for answer in answers} == {404}
    # The same page, but for the language form's CSRF token (masked afresh on every page).
    csrf = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert len({csrf.sub(b"", answer.content) for answer in answers}) == 1
    # Anonymous refusals are trailed once per address and hour, and counted (access.anonymous).
    assert AccessEvent.objects.filter(action=TrailAction.LINK_REJECTED).count() == 1
    assert AnonymousFailureTally.objects.get(action=TrailAction.LINK_REJECTED).count == 4


def test_it_stores_a_submission_once_however_often_it_is_sent(agency):
    http, _ = open_link(agency.link_token)
    data = {"chosen_name": "Zoë", "pronouns": "xe/xem", "preferred_language": "vi"}
    first = http.post("/c/", data)
    again = http.post("/c/", {**data, "chosen_name": "Someone else"})
    assert first.status_code == 302
    assert again.status_code == 200
    assert "Thank you" in again.content.decode()
    agency.client_a.refresh_from_db()
    assert agency.client_a.chosen_name == "Zoë"
    assert agency.client_a.pronouns == "xe/xem"
    updates = AccessEvent.objects.filter(action=TrailAction.UPDATE, section="profile")
    assert updates.count() == 1
    assert "Thank you" in http.get("/c/").content.decode()
    assert open_link(agency.link_token)[1].status_code == 404


def test_it_keeps_what_the_client_typed_when_a_field_is_refused(agency):
    http, _ = open_link(agency.link_token)
    response = http.post(
        "/c/", {"chosen_name": "Zoë", "pronouns": "p" * 200, "preferred_language": "not a code"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "at most 60 characters" in body
    assert "Please choose a language from the list." in body
    assert 'value="Zoë"' in body
    agency.client_a.refresh_from_db()
    assert agency.client_a.chosen_name == "Zoë-Ann O'Brien"
    assert ClientLink.objects.get(token_hash=token_hash(agency.link_token)).used_at is None


def test_it_slows_down_an_address_that_opens_too_many_links(agency):
    for _ in range(settings.ATTUNE_LINK_OPENS_PER_MINUTE):
        open_link("guess", ip="198.51.100.99")
    _, limited = open_link(agency.link_token, ip="198.51.100.99")
    assert limited.status_code == 429
    _, elsewhere = open_link(agency.link_token, ip="198.51.100.100")
    assert elsewhere.status_code == 302


def test_it_ends_the_client_session_after_its_minutes(agency):
    http, _ = open_link(agency.link_token)
    session = http.session
    session["client_link_until"] = (timezone.now() - timedelta(seconds=1)).isoformat()
    session.save()
    assert http.get("/c/").status_code == 404


def test_it_never_lets_a_link_session_reach_staff_pages(agency):
    http, _ = open_link(agency.link_token)
    for url in ("/caseload/", f"/clients/{agency.client_a.pk}/", "/agency/"):
        response = http.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
