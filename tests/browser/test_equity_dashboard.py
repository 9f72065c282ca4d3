"""A leader reads the equity dashboard in a real browser: accessible, aggregates only."""

from __future__ import annotations

import pytest

from attune.equity.dashboard_figures import refresh_figures
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
    assert "fewer than 11" in table.inner_text()
    chart = desktop.get_by_role("img", name="Scheduled sessions missed by gender and languages")
    assert chart.count() == 1
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
