"""A leader reads the equity dashboard in a real browser: accessible, aggregates only."""

from __future__ import annotations

import re

import pytest

from attune.demo.agency import generate_agency
from attune.demo.equity import seed_equity_gaps
from attune.demo.notes import seed_notes
from attune.equity.dashboard_figures import refresh_figures
from tests.browser.conftest import save_screenshot
from tests.browser.test_pages import assert_accessible, sign_in
from tests.equity.test_database_report import _agency

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_leader_chooses_a_measure_and_a_group_and_reads_the_table(agency, live_server, desktop):
    _agency(160, seed=3)
    sign_in(desktop, live_server, "lee")
    desktop.get_by_role("link", name="Equity").click()
    desktop.wait_for_url("**/equity/")
    assert "The figures have not been computed yet" in desktop.content()
    assert_accessible(desktop)
    refresh_figures()  # as the nightly command or the worker would
    desktop.reload()
    assert "Figures computed on" in desktop.content()
    assert_accessible(desktop)
    desktop.get_by_label("Measure").select_option(label="Scheduled sessions missed")
    desktop.get_by_label("Group by").select_option(label="Gender and Languages")
    with desktop.expect_navigation():
        desktop.get_by_role("button", name="Show").click()
    table = desktop.get_by_role("table")
    assert "Scheduled sessions missed by gender and languages" in table.inner_text()
    assert "fewer than 11" in desktop.locator("details.equity-hidden summary").inner_text()
    chart = desktop.locator("figure.equity-chart")
    assert chart.count() == 1
    assert "Scheduled sessions missed by gender and languages" in chart.inner_text()
    assert "Zoë-Ann" not in desktop.content()
    assert_accessible(desktop)


def test_a_leader_asks_for_new_figures_and_is_told_they_are_on_their_way(
    agency, live_server, desktop
):
    sign_in(desktop, live_server, "lee")
    desktop.goto(f"{live_server.url}/equity/?attribute=fee_tier")
    with desktop.expect_navigation():
        desktop.get_by_role("button", name="Compute the figures again now").click()
    assert desktop.url.endswith("/equity/?attribute=fee_tier")
    assert "The figures are being computed again" in desktop.content()
    assert "New figures are being computed" in desktop.content()
    assert desktop.get_by_role("button", name="Compute the figures again now").count() == 0
    assert_accessible(desktop)


def test_on_a_360_px_phone_the_demo_dashboard_reads_without_sideways_scrolling(
    agency, live_server, browser, settings
):
    settings.ATTUNE_DEMO = True
    generate_agency()
    seed_notes()
    seed_equity_gaps()
    refresh_figures()
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True)
    phone = context.new_page()
    try:
        sign_in(phone, live_server, "lee")
        for query in ("", "?metric=dropout_rate&attribute=race_ethnicity%2Blanguages"):
            phone.goto(f"{live_server.url}/equity/{query}")
            assert "Synthetic demo data" in phone.content()
            for width in (360, 375):
                phone.set_viewport_size({"width": width, "height": 780})
                assert phone.evaluate("document.documentElement.scrollWidth") <= width
            assert_accessible(phone)
        phone.goto(f"{live_server.url}/equity/")
        stands_out = phone.locator("section.equity-stands-out").inner_text()
        assert "Clients who identify as Hispanic or Latino waited for a first session" in stands_out
        assert "race_ethnicity" not in stands_out and "hispanic" not in stands_out
        # The table stacks: each group's figures are labelled in its own card.
        row = phone.get_by_role("row", name=re.compile("^Hispanic or Latino"))
        assert row.evaluate("r => getComputedStyle(r).display") == "block"
        before = row.locator("td").first.evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
        assert "Number (n):" in before
        save_screenshot(phone, "equity-dashboard-phone")
    finally:
        context.close()
