"""The dashboard speaks: planted gaps in plain words, labels not codes, bars only for values."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from attune.access.models import StaffUser
from attune.demo.agency import generate_agency
from attune.demo.equity import seed_equity_gaps
from attune.demo.notes import seed_notes
from attune.equity.dashboard_figures import refresh_figures

URL = reverse("equity:dashboard")
RAW_KEYS = re.compile(
    r"race_ethnicity|sex_at_birth|fee_tier|\baian\b|\bmena\b|\bnhpi\b|hispanic-|black-"
    r"|\bhispanic\b|\bblack\b|\bwhite\b|zh-Hans|not_sure"
)


@pytest.fixture
def leader(db, settings):  # type: ignore[no-untyped-def]
    settings.ATTUNE_DEMO = True
    generate_agency()
    seed_notes()
    seed_equity_gaps()
    refresh_figures()
    return StaffUser.objects.get(username="leader")


def section(body: str, heading_id: str) -> str:
    start = body.index(f'id="{heading_id}"')
    return body[start : body.index("</section>", start)]


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_a_leader_lands_on_the_planted_gaps_in_plain_words(leader, client) -> None:
    client.force_login(leader)
    body = client.get(URL).content.decode()
    assert "Synthetic demo data." in body
    stands_out = text(section(body, "stands-out-title"))
    assert "What stands out by race and ethnicity" in stands_out
    assert re.search(
        r"Clients who identify as Hispanic or Latino waited for a first session \d+ days longer "
        r"than clients who identify as White \(the reference group\) at the median: \d+ days "
        r"against \d+ days; this is unlikely to be chance \(q [<=] 0\.\d+\)\.",
        stands_out,
    )
    assert "Clients who identify as Black or African American left therapy early more often" in (
        stands_out
    )
    assert "rated their therapist's cultural humility" in stands_out
    assert "had stigmatizing language flagged in their notes more often" in stands_out
    assert stands_out.count("this is unlikely to be chance (q") >= 4
    assert not RAW_KEYS.search(stands_out), RAW_KEYS.search(stands_out)
    assert "No gap" not in body and "not unlikely" not in body
    measure = text(section(body, "measure-title"))
    assert "Reference group:  clients who identify as White (n = " in measure
    assert "the largest group that shared its race or ethnicity" in measure
    assert '<th scope="row" role="rowheader">Hispanic or Latino</th>' in body
    hidden = body[body.index('<details class="equity-hidden">') :]
    assert "groups are not shown: fewer than 11 episodes each" in hidden
    assert "Puerto Rican (Hispanic or Latino)" in hidden[: hidden.index("</details>")]


def test_group_by_choices_come_in_three_groups(leader, client) -> None:
    client.force_login(leader)
    body = client.get(URL).content.decode()
    choices = body[
        body.index('<select id="attribute"') : body.index(
            "</select>", body.index('<select id="attribute"')
        )
    ]
    labels = re.findall(r'<optgroup label="([^"]+)">', choices)
    assert labels == [
        "One characteristic",
        "Two characteristics together",
        "Over time (by quarter of referral)",
    ]
    groups = choices.split("<optgroup")[1:]
    assert [group.count("<option") for group in groups] == [8, 28, 9]
    assert ">Race and ethnicity</option>" in groups[0]
    assert ">Referral quarter, by gender</option>" in groups[2]


def test_bars_are_drawn_only_for_values(leader, client) -> None:
    client.force_login(leader)
    # Every demo client was seen, so every group shown is at 0.0%: no chart at all.
    body = client.get(URL, {"metric": "never_seen_rate", "attribute": "gender"}).content.decode()
    assert "<rect" not in body and "<line" not in body
    assert "Every group shown is at 0.0%, so there are no bars to draw" in body
    # A hidden group gets no bar: only the groups shown are in the chart.
    body = client.get(URL, {"metric": "dropout_rate"}).content.decode()
    chart = body[
        body.index('<ul class="equity-bars">') : body.index(
            "</ul>", body.index('<ul class="equity-bars">')
        )
    ]
    rows = len(re.findall(r"<li[ >]", chart))
    shown = body.count('data-label="Number (n):"')
    assert rows == shown
    assert "fewer than 11" not in chart
    assert chart.count("<rect") == rows  # every group shown left at a rate above zero
    assert re.search(r"\d+ groups have fewer than 11 episodes with this measure", body)


def test_no_banner_outside_the_demo(leader, client, settings) -> None:
    settings.ATTUNE_DEMO = False
    client.force_login(leader)
    assert "Synthetic demo data" not in client.get(URL).content.decode()


def test_the_command_line_names_the_apps_groups_with_labels_too(leader, capsys) -> None:
    from attune.equity.cli import main

    assert main(["report", "--format", "html"]) == 0
    page = capsys.readouterr().out
    findings = page[page.index("<h2>Findings unlikely to be chance</h2>") :]
    findings = findings[: findings.index("</ul>")]
    assert "Clients who identify as Hispanic or Latino waited for a first session" in findings
    assert not RAW_KEYS.search(findings), RAW_KEYS.search(findings)
    assert "by race and ethnicity;" in page and "Puerto Rican (Hispanic or Latino)" in page
