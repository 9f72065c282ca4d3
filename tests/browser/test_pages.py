"""Every page, in Chromium: it works by keyboard and on a phone, and axe-core finds no serious
or critical violation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from attune.access.actor import Actor
from attune.clients.queries import refused_client_id
from attune.measures.services import instrument_import_file
from tests.browser.conftest import save_screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
BLOCKING = {"serious", "critical"}


def assert_accessible(page) -> None:
    results = Axe().run(page)
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert not blocking, f"{page.url}: " + "; ".join(blocking)


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_label("Password").press("Enter")


def test_it_shows_a_therapist_their_caseload_by_chosen_names(agency, live_server, desktop):
    sign_in(desktop, live_server, "ana")
    assert desktop.url.endswith("/today/")
    desktop.get_by_role("link", name="Caseload").click()
    desktop.wait_for_url(re.compile(r"/caseload/$"))
    card = desktop.locator(".client-card").filter(has_text="Zoë-Ann O'Brien")
    assert card.locator(".pronouns").inner_text() == "they/them"
    assert "Interpreter" in card.inner_text()
    assert "Dương Thị Hoa" not in desktop.content()
    assert_accessible(desktop)
    card.get_by_role("link").click()
    desktop.wait_for_url(re.compile(r"/clients/\d+/$"))
    assert "Legalname-Alpha" not in desktop.content()
    assert_accessible(desktop)
    save_screenshot(desktop, "client-overview")


def test_it_renders_a_full_demo_caseload(live_server, desktop, phone):
    from attune.demo.agency import DEMO_PASSWORD, generate_agency

    generate_agency(clients=40, therapists=2, supervisors=1)
    for page in (desktop, phone):
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill("therapist1")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        page.goto(f"{live_server.url}/caseload/")
        assert page.locator(".client-card").count() == 20
        assert_accessible(page)
    save_screenshot(desktop, "caseload")
    save_screenshot(phone, "caseload-phone")


def test_it_keeps_what_was_typed_when_a_form_is_refused(agency, live_server, desktop):
    sign_in(desktop, live_server, "ana")
    desktop.goto(f"{live_server.url}/clients/new/")
    desktop.get_by_label("Chosen name").fill("Rūta")
    desktop.get_by_label("Preferred language").fill("Lithuanian please")
    desktop.get_by_role("button", name="Save").click()
    desktop.get_by_text("Please fix 1 thing below").wait_for()
    assert desktop.get_by_label("Chosen name").input_value() == "Rūta"
    assert_accessible(desktop)


def test_it_lets_a_client_answer_on_a_phone_without_an_account(agency, live_server, phone):
    phone.goto(f"{live_server.url}/c/{agency.link_token}/")
    assert phone.url == f"{live_server.url}/c/"  # the token is gone from the address bar
    assert_accessible(phone)
    phone.get_by_role("button", name="English").tap()
    phone.get_by_role("heading", name="How should we name you?").wait_for()
    assert_accessible(phone)
    save_screenshot(phone, "client-phone")
    phone.get_by_label("Your pronouns (optional)").fill("they/them")
    phone.get_by_role("button", name="Save").tap()
    phone.get_by_role("heading", name=re.compile("Thank you")).wait_for()
    assert_accessible(phone)
    phone.goto(f"{live_server.url}/c/{agency.link_token}/")
    assert "not available" in phone.content()
    assert_accessible(phone)


@pytest.mark.parametrize(
    ("language", "button", "heading", "direction"),
    [
        ("es", "Español", "¿Cómo quiere que le llamemos?", "ltr"),
        ("ar", "العربيّة", "ما الاسم الذي يناسبك أن نناديك به؟", "rtl"),
    ],
)
def test_it_speaks_the_language_the_client_picks(
    agency, live_server, phone, language, button, heading, direction
):
    phone.goto(f"{live_server.url}/c/{agency.link_token}/")
    phone.get_by_role("button", name=button).tap()
    phone.get_by_role("heading", name=heading).wait_for()
    assert phone.locator("html").get_attribute("lang") == language
    assert phone.locator("html").get_attribute("dir") == direction
    assert_accessible(phone)
    save_screenshot(phone, f"client-phone-{language}")
    phone.get_by_role("textbox").first.fill("")
    phone.get_by_role("button", name={"es": "Guardar", "ar": "حفظ"}[language]).tap()
    phone.locator(".error-summary").wait_for()
    assert_accessible(phone)
    agency.client_a.refresh_from_db()
    assert agency.client_a.page_language == language


HELD_FOR_REVIEW = Path(__file__).parents[1] / "measures" / "corpus" / "disagreeing-total.json"


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        ("sol", ["/supervision/", "/supervision/therapists/{therapist_a}/", "/break-glass/"]),
        ("lee", ["/agency/", "/agency/staff/", "/agency/staff/new/", "/agency/trail/",
                 "/agency/trail/?refused=1", "/instruments/review/"]),
        ("ana", ["/today/", "/clients/{client_a}/edit/", "/clients/{client_a}/billing/",
                 "/account/authenticator/"]),
    ],
)  # fmt: skip
def test_it_passes_axe_on_every_staff_page(agency, live_server, desktop, username, paths):
    if username == "lee":  # so the refused accesses and an instrument held for review are listed
        refused_client_id(Actor(user=agency.therapist_b), agency.client_a.pk, section="overview")
        instrument_import_file(actor=Actor.system(), path=HELD_FOR_REVIEW)
    sign_in(desktop, live_server, username)
    for path in paths:
        url = path.format(therapist_a=agency.therapist_a.pk, client_a=agency.client_a.pk)
        response = desktop.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        assert_accessible(desktop)
    if username == "lee":
        desktop.goto(f"{live_server.url}/agency/")
        save_screenshot(desktop, "agency")


def test_it_can_be_used_by_keyboard_alone(agency, live_server, desktop):
    sign_in(desktop, live_server, "ana")
    desktop.goto(f"{live_server.url}/caseload/")
    desktop.keyboard.press("Tab")
    focused = desktop.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    desktop.keyboard.press("Enter")
    for _ in range(12):
        desktop.keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.closest('.client-card') !== null"):
            break
    else:
        pytest.fail("no client card reachable by Tab")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(re.compile(r"/clients/\d+/$"))
