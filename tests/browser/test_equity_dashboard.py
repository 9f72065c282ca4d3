"""A leader reads the equity dashboard in a real browser: accessible, aggregates only."""

from __future__ import annotations

import pytest

from tests.browser.test_pages import assert_accessible, sign_in
from tests.equity.test_database_report import _agency

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_leader_chooses_a_measure_and_a_group_and_reads_the_table(agency, live_server, desktop):
    _agency(160, seed=3)
    sign_in(desktop, live_server, "lee")
    desktop.get_by_role("link", name="Equity").click()
    desktop.wait_for_url("**/equity/")
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
