"""The staff header on a 360 px phone: compact, one menu that works without JavaScript, grouped
links, "Emergency access" apart, and no serious or critical axe-core violation."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_pages import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
PHONE_360 = {"width": 360, "height": 740}
PERSONAS = {
    "ana": ("My work", "Caseload"),
    "sol": ("Supervision", "Supervisees"),
    "lee": ("Agency", "Access trail"),
}


@pytest.fixture
def phone360(browser):
    context = browser.new_context(viewport=PHONE_360, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def _header_height(page) -> float:
    return page.evaluate("document.querySelector('header').getBoundingClientRect().height")


@pytest.mark.parametrize("username", sorted(PERSONAS))
def test_the_phone_header_is_compact_and_its_menu_accessible(
    agency, live_server, phone360, username
):
    group, link = PERSONAS[username]
    sign_in(phone360, live_server, username)
    assert _header_height(phone360) <= 80
    main_top = phone360.evaluate("document.querySelector('main').getBoundingClientRect().top")
    assert main_top <= 80
    nav = phone360.get_by_role("navigation", name="Main")
    assert not nav.is_visible()
    assert_accessible(phone360)

    phone360.locator("summary", has_text="Menu").click()
    assert nav.is_visible()
    assert nav.get_by_text(group, exact=True).is_visible()
    assert phone360.get_by_role("button", name="Sign out").is_visible()
    assert_accessible(phone360)
    # The page does not scroll sideways with the menu open.
    assert phone360.evaluate("document.documentElement.scrollWidth") <= PHONE_360["width"]

    nav.get_by_role("link", name=link, exact=True).click()
    phone360.wait_for_load_state()
    # The new page starts with the menu closed, the current page marked inside it.
    current = phone360.locator("nav[aria-label=Main] a[aria-current=page]")
    assert current.text_content() == link
    assert not nav.is_visible()
    assert _header_height(phone360) <= 80


def test_emergency_access_is_apart_from_the_everyday_links(agency, live_server, phone360):
    sign_in(phone360, live_server, "ana")
    phone360.locator("summary", has_text="Menu").click()
    nav = phone360.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Emergency access").count() == 0
    emergency = phone360.locator(".nav-emergency").get_by_role("link", name="Emergency access")
    nav_bottom = nav.bounding_box()["y"] + nav.bounding_box()["height"]
    assert emergency.bounding_box()["y"] >= nav_bottom + 16


def test_the_menu_works_without_javascript(agency, live_server, browser):
    context = browser.new_context(viewport=PHONE_360, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill("ana")
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        page.locator("summary", has_text="Menu").click()
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").click()
        page.wait_for_url(re.compile(r"/caseload/$"))
    finally:
        context.close()


def test_on_a_desktop_the_groups_are_in_the_header(agency, live_server, desktop):
    sign_in(desktop, live_server, "ana")
    assert not desktop.locator("summary", has_text="Menu").is_visible()
    nav = desktop.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Caseload").is_visible()
    assert desktop.get_by_role("button", name="Sign out").is_visible()
    assert _header_height(desktop) <= 160
    assert_accessible(desktop)


def test_the_leaders_wide_tables_scroll_in_place_on_a_phone(agency, live_server, phone360):
    sign_in(phone360, live_server, "lee")
    for path in ("/agency/trail/", "/agency/staff/"):
        phone360.goto(f"{live_server.url}{path}")
        assert phone360.evaluate("document.documentElement.scrollWidth") <= PHONE_360["width"]
        assert_accessible(phone360)
