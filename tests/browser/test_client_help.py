"""Client pages in Chromium on small phones: crisis help and the safety message in English,
Spanish and Arabic, the 0-10 scale on one row at 320 px, and no language carried over to a
staff page.  Every page passes axe-core."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.utils.dateformat import format as date_format
from django.utils.timezone import localdate

from tests.browser.test_pages import assert_accessible, sign_in
from tests.measures.checkins import send_checkin

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGE_BUTTON = {"en": "English", "es": "Español", "ar": "العربيّة"}
SAFETY_HEADING = {
    "en": "Your answers may not be read today",
    "es": "Es posible que sus respuestas no se lean hoy",
    "ar": "قد لا تُقرأ إجاباتك اليوم",
}
CRISIS_HEADING = {
    "en": "Need help now?",
    "es": "¿Necesita ayuda ahora?",
    "ar": "بحاجة إلى مساعدة الآن؟",
}
SEND = {"en": "Send to my therapist"}
# Set ATTUNE_CLIENT_SCREENSHOTS to a folder to keep what the phone showed, for a person to look at.
SHOTS = os.environ.get("ATTUNE_CLIENT_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def small_phone(browser, width: int):
    context = browser.new_context(
        viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True
    )
    return context, context.new_page()


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_a_safety_answer_is_followed_by_what_to_do_now(agency, live_server, browser, language):
    sent = send_checkin(agency.client_a, instrument_name="phq9")
    context, phone = small_phone(browser, 360)
    phone.goto(sent.url.replace("http://testserver", live_server.url))
    assert_accessible(phone)  # the first screen, in every language at once
    shot(phone, f"{language}-1-choose")
    phone.get_by_role("button", name=LANGUAGE_BUTTON[language]).tap()
    phone.locator(f'html[lang="{language}"] form.checkin').wait_for()
    phone.get_by_role("heading", name=CRISIS_HEADING[language]).wait_for()
    assert_accessible(phone)
    shot(phone, f"{language}-2-checkin")
    groups = phone.locator("fieldset.choices").all()
    assert len(groups) == 10
    for group in groups[:8]:
        group.get_by_label("Not at all", exact=True).check()
    groups[8].get_by_label("Several days", exact=True).check()  # item 9: thoughts of self-harm
    phone.locator("form.checkin button[type=submit]").tap()
    phone.get_by_role("heading", name=SAFETY_HEADING[language]).wait_for()
    alert = phone.get_by_role("alert")
    assert SAFETY_HEADING[language] in alert.inner_text()
    assert phone.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert_accessible(phone)
    shot(phone, f"{language}-3-thanks-safety")
    context.close()


@pytest.mark.parametrize("width", [320, 360])
def test_the_0_to_10_scale_stays_on_one_row(agency, live_server, browser, width):
    sent = send_checkin(agency.client_a)
    context, phone = small_phone(browser, width)
    phone.goto(sent.url.replace("http://testserver", live_server.url))
    phone.get_by_role("button", name="العربيّة").tap()
    scales = phone.locator("fieldset.scale")
    scales.first.wait_for()
    assert scales.count() >= 5
    for scale in scales.all():
        tops = {
            round(box["y"])
            for box in (label.bounding_box() for label in scale.locator(".options label").all())
        }
        assert len(tops) == 1, f"the scale wraps at {width} px: rows at {sorted(tops)}"
        widths = [label.bounding_box()["width"] for label in scale.locator(".options label").all()]
        assert len(widths) == 11 and min(widths) >= 22
    assert phone.evaluate("document.documentElement.scrollWidth") <= width
    # A number can be chosen by tapping it, and the choice shows.
    scales.first.get_by_label("7", exact=True).check()
    assert scales.first.get_by_label("7", exact=True).is_checked()
    assert_accessible(phone)
    shot(phone, f"scale-{width}")
    context.close()


def test_no_client_language_reaches_the_next_staff_page(agency, live_server, browser, desktop):
    sent = send_checkin(agency.client_a)
    context, phone = small_phone(browser, 360)
    phone.goto(sent.url.replace("http://testserver", live_server.url))
    phone.get_by_role("button", name="العربيّة").tap()
    phone.locator('html[lang="ar"] form.checkin').wait_for()
    context.close()

    sign_in(desktop, live_server, "ana")
    desktop.goto(f"{live_server.url}/today/")
    heading = desktop.get_by_role("heading", level=1).inner_text()
    assert heading == f"Today, {date_format(localdate(), 'l j F')}"
    assert desktop.locator("html").get_attribute("lang") == "en"
    assert not re.search("[\u0600-\u06ff]", desktop.locator("body").inner_text())
