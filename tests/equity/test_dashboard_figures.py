"""The dashboard's figures computed ahead of time give the report the live aggregation gives."""

from __future__ import annotations

import pytest
from django.urls import reverse

from attune.clients.models import Client
from attune.equity import database
from attune.equity.dashboard_figures import (
    INTERSECTIONS,
    figures_statistics,
    latest_figures,
    refresh_figures,
)
from attune.equity.database import ATTRIBUTES, QUARTER, SUM_FIELDS, report_from_database
from attune.equity.models import DashboardCell, DashboardRefresh, RefreshStatus
from attune.equity.report import report_from_statistics
from tests.equity.test_database_report import _agency, _assert_same
from tests.measures.test_checkin_tasks import run_worker

URL = reverse("equity:dashboard")
REFRESH = reverse("equity:refresh")


@pytest.fixture
def episodes(db):  # type: ignore[no-untyped-def]
    return _agency(160, seed=3)


def test_the_stored_sums_are_named_as_the_statement_returns_them() -> None:
    columns = [field.name for field in DashboardCell._meta.fields]
    assert columns[columns.index("waits") + 1 :] == list(SUM_FIELDS)


@pytest.mark.parametrize(
    ("attributes", "intersect"),
    [
        (ATTRIBUTES, []),
        (ATTRIBUTES, [INTERSECTIONS["gender+languages"]]),
        ((*ATTRIBUTES, QUARTER), [INTERSECTIONS["referral_quarter+fee_tier"]]),
    ],
)
def test_every_view_equals_the_live_report(episodes, attributes, intersect) -> None:
    refresh = refresh_figures()
    assert refresh.status == RefreshStatus.DONE and refresh.n_episodes == 160
    stored = report_from_statistics(
        figures_statistics(refresh, attributes=attributes, intersect=intersect)
    )
    live = report_from_database(attributes=attributes, intersect=intersect)
    _assert_same(stored, live)
    assert stored.n_episodes == live.n_episodes == 160
    assert any(not row.suppressed for row in stored.rows)


def test_a_new_refresh_replaces_the_figures_and_counts_new_episodes(episodes) -> None:
    first = refresh_figures()
    cells = DashboardCell.objects.count()
    for index in range(20):
        Client.objects.create(case_code=f"N{index:05d}", chosen_name=f"New client {index}")
    second = refresh_figures()
    assert second.n_episodes == 180 and latest_figures() == second
    assert set(DashboardCell.objects.values_list("refresh", flat=True)) == {second.pk}
    assert DashboardCell.objects.count() >= cells
    assert DashboardRefresh.objects.filter(pk=first.pk).exists()  # kept as history


def test_a_failed_refresh_keeps_the_figures_before_it_and_says_so(
    agency, episodes, client, monkeypatch
) -> None:
    from attune.equity import dashboard_figures

    before = refresh_figures()

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        return "SELECT no_such_column FROM no_such_table", []

    monkeypatch.setattr(dashboard_figures, "statistics_statement", broken)
    with pytest.raises(Exception, match="no_such"):
        refresh_figures()
    assert latest_figures() == before
    assert DashboardCell.objects.filter(refresh=before).exists()
    client.force_login(agency.leader)
    body = client.get(URL).content.decode()
    assert "The last computation" in body and "failed" in body
    assert "<caption>" in body  # the older figures are still shown


def test_before_the_first_refresh_the_page_says_so_and_offers_one(agency, client) -> None:
    client.force_login(agency.leader)
    body = client.get(URL).content.decode()
    assert "The figures have not been computed yet" in body
    assert "Compute the figures again now" in body
    assert "<caption>" not in body
    response = client.get(reverse("equity:report_pdf"))
    assert response.status_code == 302 and response.url == URL


def test_the_page_says_when_its_figures_were_computed(agency, episodes, client) -> None:
    refresh = refresh_figures()
    client.force_login(agency.leader)
    body = client.get(URL).content.decode()
    assert "Figures computed on" in body
    assert f"from {refresh.n_episodes} episodes of care" in body
    assert refresh.finished_at.strftime("%Y") in body


@pytest.mark.django_db(transaction=True)
def test_a_leader_asks_for_new_figures_and_the_worker_computes_them(
    agency, client, django_capture_on_commit_callbacks
) -> None:
    _agency(40, seed=5)
    client.force_login(agency.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REFRESH, {"next": URL + "?attribute=fee_tier"})
    assert response.status_code == 302 and response.url == URL + "?attribute=fee_tier"
    queued = DashboardRefresh.objects.get()
    assert queued.status == RefreshStatus.QUEUED and queued.requested_by == agency.leader
    body = client.get(URL).content.decode()
    assert "New figures are being computed" in body
    assert "Compute the figures again now" not in body
    # Asking again while one is queued queues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REFRESH)
    assert DashboardRefresh.objects.count() == 1
    run_worker(django_capture_on_commit_callbacks)
    queued.refresh_from_db()
    assert queued.status == RefreshStatus.DONE and queued.n_episodes >= 40
    body = client.get(URL).content.decode()
    assert f"from {queued.n_episodes} episodes of care" in body and "<caption>" in body


def test_only_a_leader_may_ask_for_new_figures(agency, client) -> None:
    for persona in ("therapist_a", "supervisor"):
        client.force_login(agency.staff(persona))
        assert client.post(REFRESH).status_code == 404
    assert not DashboardRefresh.objects.exists()


def test_the_nightly_command_computes_the_figures(episodes, capsys) -> None:
    from django.core.management import call_command

    call_command("refresh_equity_dashboard")
    assert "160 episodes" in capsys.readouterr().out
    assert latest_figures().n_episodes == 160


def test_a_request_reads_only_the_views_it_shows(episodes, django_assert_max_num_queries) -> None:
    refresh = refresh_figures()
    with django_assert_max_num_queries(1):
        statistics = figures_statistics(refresh, attributes=("gender",))
    assert [summary.name for summary in statistics.attributes] == ["gender"]
    assert database.plan_views(("gender",), [])[1] == [("gender", ("gender",))]
