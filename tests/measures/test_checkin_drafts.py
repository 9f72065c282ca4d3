"""A long check-in in pages: answers kept as a draft between pages, resumed from the same link,
stored as a response only once, on the final send."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test import Client as HttpClient

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.measures import services
from attune.measures.forms import PAGE_ITEM_LIMIT, CheckInForm
from attune.measures.models import CheckInDraft, Response, SourceFormat
from attune.measures.yaml_format import load_instrument_yaml
from tests.measures.checkins import BASE_URL

LONG = Path(__file__).resolve().parent / "fixtures" / "long-wellbeing.yaml"
DAILY = [f"p1-d{n}" for n in range(1, 7)]
PEOPLE = [f"p1-p{n}" for n in range(1, 15)]


def store_long():
    source = LONG.read_text(encoding="utf-8")
    stored, _ = services.instrument_store(
        actor=Actor.system(),
        instrument=load_instrument_yaml(source),
        source_format=SourceFormat.YAML,
        source=source,
    )
    return stored


def send_long(client):
    return services.checkin_send(
        actor=Actor(user=client.therapist),
        client=client,
        instrument=store_long(),
        base_url=BASE_URL,
    )


def open_link(sent, http=None):
    http = http or HttpClient()
    assert http.get(sent.url.replace("http://testserver", "")).status_code == 302
    if "client_language" not in http.session:
        http.post("/c/language/", {"language": "en"})
    return http


def post(http, page, answers, action="continue", version=None):
    if version is None:
        draft = CheckInDraft.objects.first()
        version = draft.version if draft else 0
    return http.post("/c/", {"page": page, "action": action, "version": version, **answers})


@pytest.fixture
def long_checkin(agency):
    sent = send_long(agency.client_a)
    return sent, open_link(sent)


def test_it_splits_a_long_checkin_into_pages_by_group(agency):
    parts = services.checkin_instruments(send_long(agency.client_a).checkin)
    form = CheckInForm(parts=parts, language="en")
    assert form.is_long and len(form.fields) > PAGE_ITEM_LIMIT
    pages = [form.page_fields(n) for n in range(1, len(form.pages()) + 1)]
    assert pages[0] == DAILY
    assert pages[1] == PEOPLE[:PAGE_ITEM_LIMIT]  # a long group goes on in chunks
    assert pages[2] == PEOPLE[PAGE_ITEM_LIMIT:]
    assert pages[3][0] == "p1-supports" and len(pages) == 4
    assert all(len(page) <= PAGE_ITEM_LIMIT for page in pages)


def test_a_short_checkin_stays_one_page(agency):
    from tests.measures.checkins import send_checkin

    parts = services.checkin_instruments(send_checkin(agency.client_a, goals=["a", "b"]).checkin)
    form = CheckInForm(parts=parts, language="en")
    assert not form.is_long and len(form.pages()) == 1


def test_the_first_page_shows_its_group_and_a_save_button(long_checkin):
    _, http = long_checkin
    body = http.get("/c/").content.decode()
    assert "Page 1 of 4." in body
    assert "Daily life" in body and "People around you" not in body
    assert body.count("<fieldset") == 6
    assert "Save and continue" in body and ">Back<" not in body


def test_save_and_continue_keeps_a_draft_and_no_response(long_checkin):
    sent, http = long_checkin
    response = post(http, 1, {"p1-d1": "often", "p1-d2": "never"})
    assert response.status_code == 302
    draft = CheckInDraft.objects.get(checkin=sent.checkin)
    assert draft.page == 2 and draft.data == {"p1-d1": "often", "p1-d2": "never"}
    assert Response.objects.count() == 0
    body = http.get("/c/").content.decode()
    assert "Page 2 of 4." in body and "People around you" in body
    entry = AccessEvent.objects.filter(object_type="checkin_draft").get()
    assert entry.link_ref == sent.checkin.link_id and entry.actor_id is None


def test_the_draft_is_encrypted_at_rest(long_checkin):
    _, http = long_checkin
    for page in (1, 2, 3):
        post(http, page, {})
    post(http, 4, {"p1-note": "words of my own", "p1-word": "tired"}, action="back")
    assert Response.objects.count() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM measures_checkindraft")
        (raw,) = cursor.fetchone()
    assert "words of my own" not in raw and "p1-note" not in raw


def test_reopening_the_link_resumes_where_the_client_stopped(long_checkin):
    sent, http = long_checkin
    post(http, 1, {"p1-d1": "often"})
    post(http, 2, {"p1-p1": "always"})
    later = open_link(sent, HttpClient())  # the page was closed; the same link, later
    body = later.get("/c/").content.decode()
    assert "Page 3 of 4." in body
    back = post(later, 3, {"p1-p13": "sometimes"}, action="back")
    assert back.status_code == 302
    body = later.get("/c/").content.decode()
    assert "Page 2 of 4." in body
    assert body.count("checked") == 1 and 'value="always"' in body


def test_back_keeps_the_answers_of_both_pages(long_checkin):
    _, http = long_checkin
    post(http, 1, {"p1-d1": "often"})
    post(http, 2, {"p1-p2": "sometimes"}, action="back")
    draft = CheckInDraft.objects.get()
    assert draft.page == 1
    assert draft.data == {"p1-d1": "often", "p1-p2": "sometimes"}
    body = http.get("/c/").content.decode()
    assert body.count("checked") == 1
    post(http, 1, {"p1-d1": "never"})
    assert CheckInDraft.objects.get().data == {"p1-d1": "never", "p1-p2": "sometimes"}


def test_a_validation_error_keeps_the_answers_and_saves_nothing(long_checkin):
    _, http = long_checkin
    for page in (1, 2, 3):
        post(http, page, {})
    before = CheckInDraft.objects.get().version
    response = post(http, 4, {"p1-sleep-hours": "30", "p1-note": "kept"}, action="submit")
    body = response.content.decode()
    assert response.status_code == 200
    assert "less than or equal to 24" in body
    assert "kept</textarea>" in body and 'value="30"' in body
    assert CheckInDraft.objects.get().version == before
    assert Response.objects.count() == 0


def test_a_field_from_another_page_is_refused(long_checkin):
    _, http = long_checkin
    response = post(http, 1, {"p1-d1": "often", "p1-p1": "always"})
    assert response.status_code == 200
    assert "answers it does not ask for" in response.content.decode()
    assert CheckInDraft.objects.count() == 0


def test_the_final_send_stores_every_page_once_and_drops_the_draft(long_checkin):
    sent, http = long_checkin
    post(http, 1, {f"p1-d{n}": "sometimes" for n in range(1, 7)})
    post(http, 2, {"p1-p1": "often"})
    post(http, 3, {"p1-p14": "always"})
    final = {"p1-supports": ["faith", "friends"], "p1-note": "Thank you", "p1-talk": "yes"}
    assert post(http, 4, final, action="submit").status_code == 302
    response = Response.objects.get()
    assert response.total == 6
    assert response.answers["p1"] == "often" and response.answers["p14"] == "always"
    assert response.answers["supports"] == ["faith", "friends"]
    assert response.answers["talk"] is True
    assert CheckInDraft.objects.count() == 0
    assert "Thank you" in http.get("/c/").content.decode()
    # A second press of Send, from a stale page, stores nothing more.
    assert post(http, 4, final, action="submit", version=9).status_code == 200
    assert Response.objects.count() == 1


def test_a_save_from_a_stale_second_window_is_not_silently_kept(long_checkin):
    _, http = long_checkin
    post(http, 1, {"p1-d1": "often"}, version=0)
    response = post(http, 1, {"p1-d1": "never"}, version=0)  # built before the first save
    assert response.status_code == 200
    assert "changed in another window" in response.content.decode()
    assert CheckInDraft.objects.get().data == {"p1-d1": "often"}


def test_expired_drafts_are_deleted(long_checkin):
    from datetime import timedelta

    from django.utils import timezone

    _, http = long_checkin
    post(http, 1, {"p1-d1": "often"})
    assert services.checkin_drafts_purge(actor=Actor.system()) == 0
    later = timezone.now() + timedelta(days=30)
    assert services.checkin_drafts_purge(actor=Actor.system(), now=later) == 1
    assert CheckInDraft.objects.count() == 0
