"""Staff navigation by task: grouped links per role, emergency access apart, a menu without JS."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client as HttpClient
from django.utils import timezone

from attune.access.actor import Actor
from attune.care import services as care_services

GROUPS = {
    "therapist_a": {
        "My work": ["Today", "Caseload", "Signals", "Reflections", "Check a note"],
        "Supervision": ["My supervision", "Consultation"],
        "Agency": ["Action items", "Partners", "Training"],
    },
    "supervisor": {
        "Supervision": ["Supervisees", "Shared reflections", "Consultation"],
        "Tools": ["Check a note"],
    },
    "leader": {
        "Agency": ["Overview", "Equity", "Staff", "Import roster", "Access trail"],
        "Improving care": [
            "Self-assessment",
            "Action items",
            "Training",
            "Partners",
            "Language audit",
        ],
        "Supervision": ["Supervision pairs", "Consultation"],
    },
}
HOME = {"therapist_a": "/today/", "supervisor": "/supervision/", "leader": "/agency/"}


def _header(agency, persona, path=None):
    http = HttpClient()
    http.force_login(getattr(agency, persona))
    response = http.get(path or HOME[persona])
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find("header")


@pytest.mark.parametrize("persona", sorted(GROUPS))
def test_each_role_has_its_links_grouped_by_task(agency, persona):
    nav = _header(agency, persona).find("nav", attrs={"aria-label": "Main"})
    groups = {}
    for group in nav.select(".nav-group"):
        label = group.select_one(".nav-group-label")
        links = group.find("ul")
        assert links["aria-labelledby"] == label["id"]
        groups[label.get_text(strip=True)] = [a.get_text(strip=True) for a in links.find_all("a")]
    assert groups == GROUPS[persona]


@pytest.mark.parametrize("persona", ["therapist_a", "supervisor"])
def test_emergency_access_stands_apart_from_everyday_links(agency, persona):
    header = _header(agency, persona)
    nav = header.find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", string="Emergency access") is None
    emergency = header.select_one(".nav-emergency a")
    assert emergency.get_text(strip=True) == "Emergency access"
    assert emergency["href"] == "/break-glass/"


def test_a_leader_has_no_emergency_access_link(agency):
    assert _header(agency, "leader").select_one(".nav-emergency") is None


def test_the_menu_is_a_details_element_that_needs_no_javascript(agency):
    header = _header(agency, "therapist_a")
    menu = header.find("details", class_="site-menu")
    assert menu is not None and not menu.has_attr("open")
    assert menu.find("summary").get_text(strip=True) == "Menu"
    assert menu.find("nav") is not None and menu.find("form", class_="sign-out") is not None
    assert header.find("script") is None


def test_the_current_page_is_marked(agency):
    header = _header(agency, "therapist_a", "/caseload/")
    current = header.find_all("a", attrs={"aria-current": "page"})
    assert [a.get_text(strip=True) for a in current] == ["Caseload"]


def test_signed_out_pages_have_no_menu(client):
    body = client.get("/sign-in/").content.decode()
    assert "site-menu" not in body


def test_the_client_page_shows_sessions_before_everything_else(agency):
    actor = Actor(user=agency.therapist_a)
    now = timezone.now()
    upcoming = care_services.session_schedule(
        actor=actor, client=agency.client_a, starts_at=now + timedelta(days=2)
    )
    past = care_services.session_schedule(
        actor=actor, client=agency.client_a, starts_at=now - timedelta(days=5)
    )
    care_services.session_mark_no_show(actor=actor, session=past)
    http = HttpClient()
    http.force_login(agency.therapist_a)
    body = http.get(f"/clients/{agency.client_a.pk}/").content.decode()
    sessions_at = body.index('id="sessions-glance-heading"')
    assert sessions_at < body.index('id="identity-heading"')
    assert sessions_at < body.index('id="formulation-heading"')
    assert sessions_at < body.index('id="care-plan-heading"')
    glance = body[sessions_at : body.index("</section>", sessions_at)]
    assert f"#session-{upcoming.pk}" in glance and f"#session-{past.pk}" in glance
    assert "client did not come" in glance
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", glance)


def test_a_client_page_without_sessions_says_so(agency):
    http = HttpClient()
    http.force_login(agency.therapist_a)
    body = http.get(f"/clients/{agency.client_a.pk}/").content.decode()
    assert "No sessions yet." in body
