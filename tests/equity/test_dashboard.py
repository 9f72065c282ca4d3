"""The leader's equity dashboard: aggregates only, suppressed groups in words, a PDF."""

from __future__ import annotations

import pytest
from django.urls import reverse

from attune.equity.dashboard_figures import refresh_figures
from tests.equity.test_database_report import _agency

URL = reverse("equity:dashboard")


@pytest.fixture
def populated(agency):  # type: ignore[no-untyped-def]
    episodes = _agency(160, seed=3)
    refresh_figures()
    return episodes


def test_only_a_leader_sees_the_dashboard(agency, client) -> None:
    for persona in ("therapist_a", "supervisor"):
        client.force_login(agency.staff(persona))
        assert client.get(URL).status_code == 404
        assert client.get(reverse("equity:report_pdf")).status_code == 404
    client.force_login(agency.leader)
    assert client.get(URL).status_code == 200


def test_it_shows_one_metric_by_one_attribute_without_naming_anyone(
    agency, populated, client
) -> None:
    client.force_login(agency.leader)
    response = client.get(URL, {"metric": "days_to_first_session", "attribute": "gender"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<caption>Days from referral to first session (median) by gender" in body
    assert '<figure class="equity-chart"' in body
    assert '<th scope="row" role="rowheader">Woman</th>' in body and "Reference group" in body
    assert "Not disclosed" in body
    for name in ("Zoë-Ann", "Client 1", "T00001", agency.client_a.case_code):
        assert name not in body


def test_a_small_group_shows_as_fewer_than_eleven(agency, populated, client) -> None:
    client.force_login(agency.leader)
    body = client.get(
        URL, {"metric": "never_seen_rate", "attribute": "gender+languages"}
    ).content.decode()
    assert "Gender and Languages" in body
    assert "fewer than 11" in body


def test_unknown_choices_fall_back_to_the_first(agency, client) -> None:
    client.force_login(agency.leader)
    response = client.get(URL, {"metric": "nope", "attribute": "shoe_size"})
    assert response.status_code == 200


def test_the_pdf_is_the_full_report(agency, populated, client) -> None:
    client.force_login(agency.leader)
    response = client.get(reverse("equity:report_pdf"), {"attribute": "gender+languages"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_trend_shows_each_quarter_of_referral(agency, populated, client) -> None:
    client.force_login(agency.leader)
    body = client.get(
        URL, {"metric": "never_seen_rate", "attribute": "referral_quarter+gender"}
    ).content.decode()
    assert "Referral quarter, by gender" in body
    assert '<th scope="row" role="rowheader">Jan–Mar 2025 · Woman</th>' in body
    body = client.get(URL, {"attribute": "referral_quarter"}).content.decode()
    assert '<th scope="row" role="rowheader">Apr–Jun 2025</th>' in body
