"""A client's language lasts for the client's own request: the next request on the same worker
thread, a staff page, is in the staff language with English dates and numbers."""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import formats, translation
from django.utils.dateformat import format as date_format
from django.utils.timezone import localdate

pytestmark = pytest.mark.django_db


def client_in(agency, language: str) -> HttpClient:
    http = HttpClient()
    assert http.get(f"/c/{agency.link_token}/").status_code == 302
    assert http.post("/c/language/", {"language": language}).status_code == 302
    return http


def test_a_staff_page_after_an_arabic_client_page_is_in_english(agency):
    # The Django test client serves every request in this one thread, as a worker thread would.
    client_page = client_in(agency, "ar").get("/c/").content.decode()
    assert 'lang="ar"' in client_page and 'dir="rtl"' in client_page

    staff = HttpClient()
    staff.force_login(agency.therapist_a)
    today = staff.get(reverse("care:today")).content.decode()
    assert 'lang="en"' in today
    assert f"Today, {date_format(localdate(), 'l j F')}" in today
    # The thread itself is back in the staff language: numbers and dates format in English.
    assert translation.get_language() == "en"
    assert formats.number_format(6.0, 1) == "6.0"
    assert engines["django"].from_string("{{ n|floatformat:1 }}").render({"n": 6}) == "6.0"


@pytest.mark.parametrize("language", ["es", "ar"])
def test_no_client_language_stays_on_the_thread(agency, language):
    client_in(agency, language).get("/c/")
    assert translation.get_language() == "en"


def test_a_failing_client_page_does_not_leave_its_language_behind(agency, monkeypatch):
    from attune.clients import link_purposes

    def broken(request, link):
        translation.activate("ar")
        raise RuntimeError("the page broke")

    http = client_in(agency, "ar")
    http.raise_request_exception = False
    page = link_purposes.LinkPage("x", "x", broken)
    monkeypatch.setattr(link_purposes, "page_for", lambda purpose: page)
    assert http.get("/c/").status_code == 500
    assert translation.get_language() == "en"
