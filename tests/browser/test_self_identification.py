"""A client describes themselves on a phone, in their language; the therapist sees it."""

from __future__ import annotations

import re

import pytest

from attune.access.actor import Actor
from attune.clients.models import LinkPurpose, SelfIdentification
from attune.clients.services import link_issue
from attune.language.readability import coleman_liau_grade
from tests.browser.conftest import save_screenshot
from tests.browser.test_pages import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def open_identity_link(agency, live_server, page, language_button: str) -> None:
    issued = link_issue(
        actor=Actor(user=agency.therapist_a),
        client=agency.client_a,
        purpose=LinkPurpose.SELF_IDENTIFICATION,
    )
    page.goto(f"{live_server.url}/c/{issued.token}/")
    page.get_by_role("button", name=language_button).tap()
    page.locator("form .question").first.wait_for()


def test_it_lets_a_client_describe_themselves_in_spanish(agency, live_server, phone, desktop):
    open_identity_link(agency, live_server, phone, "Español")
    assert phone.locator("html").get_attribute("lang") == "es"
    assert_accessible(phone)
    save_screenshot(phone, "self-identification-es")
    phone.get_by_label("El nombre que quiere que usemos").fill("Lupita")
    phone.get_by_label("Sus pronombres").fill("ella")
    phone.get_by_label("Su género, en sus propias palabras").fill("mujer, y muy orgullosa")
    phone.get_by_label("Prefiero no decirlo").nth(3).check()  # sexual orientation
    phone.get_by_label("Hispano o latino").check()
    phone.get_by_text("Más específico: Hispano o latino").tap()
    phone.get_by_label("Mexicano").check()
    phone.get_by_label("Una sala tranquila").check()
    phone.get_by_role("button", name="Guardar").tap()
    phone.get_by_role("heading", name=re.compile("Gracias")).wait_for()
    assert_accessible(phone)
    identity = SelfIdentification.objects.get(client=agency.client_a)
    assert identity.answers["race_ethnicity"]["categories"] == ["hispanic", "hispanic-mexican"]
    assert identity.declined == ["orientation"]

    sign_in(desktop, live_server, "ana")
    desktop.goto(f"{live_server.url}/caseload/")
    card = desktop.locator(".client-card").filter(has_text="Lupita")
    assert card.locator(".pronouns").inner_text() == "ella"
    assert "Quiet room" in card.inner_text()
    card.get_by_role("link").click()
    desktop.get_by_text("mujer, y muy orgullosa").wait_for()
    assert_accessible(desktop)


def test_it_renders_the_form_right_to_left_in_arabic(agency, live_server, phone):
    open_identity_link(agency, live_server, phone, "العربيّة")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.get_by_role("heading", name="أخبرنا عن نفسك").is_visible()
    box = phone.get_by_role("heading", name="أخبرنا عن نفسك").bounding_box()
    width = phone.viewport_size["width"]
    assert box["x"] + box["width"] > width * 0.8  # the heading starts at the right edge
    assert_accessible(phone)
    save_screenshot(phone, "self-identification-ar")


def test_it_is_usable_at_200_percent_zoom_on_a_small_phone(agency, live_server, browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, has_touch=True
    )
    page = context.new_page()
    try:
        open_identity_link(agency, live_server, page, "English")
        # 200% zoom on a 360-px screen leaves 180 CSS pixels of width.
        page.set_viewport_size({"width": 180, "height": 370})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"the page scrolls sideways by {overflow}px at 200% zoom"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") in {"INPUT", "A", "BUTTON"}
    finally:
        context.close()


def test_it_keeps_client_pages_at_an_eighth_grade_reading_level(agency, live_server, phone):
    open_identity_link(agency, live_server, phone, "English")
    prose = phone.evaluate(
        "[...document.querySelectorAll('h1, h2, p, label, legend, .helptext')]"
        ".map(e => e.innerText.trim()).filter(t => t.split(' ').length > 3).join('. ')"
    )
    grade = coleman_liau_grade(prose)  # the language audit's own measure
    assert grade <= 8, f"grade {grade}: {prose[:300]}"
