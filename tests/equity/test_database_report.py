"""The report from the app's database equals the report from the same episodes as a file."""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from attune.access.models import Role
from attune.care.models import SessionNote, TherapySession
from attune.clients.models import Client, ClientLink, IdentityCategory, SelfIdentification
from attune.equity import build_report, load_episodes
from attune.equity.dashboard_figures import refresh_figures
from attune.equity.database import report_from_database
from attune.equity.errors import EquityInputError
from attune.equity.schema import EPISODE_COLUMNS, NOTE_COLUMNS
from attune.measures.models import CheckIn, Response, StoredInstrument
from tests.conftest import make_staff

ATTRIBUTES = ("gender", "languages", "fee_tier")
GENDERS = ("woman", "man", "non_binary")
LANGUAGES = ("en", "es", "ar", "vi")
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def _instrument(name: str) -> StoredInstrument:
    return StoredInstrument.objects.create(
        key=f"test-{name}",
        url=f"https://example.org/{name}",
        name=name,
        title=name,
        source_format="yaml",
        source="",
    )


def _respond(client, instrument, when, total=None, subscales=None) -> None:  # type: ignore[no-untyped-def]
    link = ClientLink.objects.create(
        client=client,
        purpose="checkin",
        token_hash=f"{client.pk}-{instrument.pk}-{when.isoformat()}",
        expires_at=datetime.now(UTC) + timedelta(days=7),
    )
    checkin = CheckIn.objects.create(
        client=client,
        instrument=instrument,
        link=link,
        sent_at=when,
        expires_at=when + timedelta(days=7),
    )
    Response.objects.create(
        checkin=checkin,
        client=client,
        instrument=instrument,
        total=total,
        subscales=subscales or {},
        submitted_at=when,
    )


def _note(session, version, words, flagged, *, superseded=False) -> None:  # type: ignore[no-untyped-def]
    SessionNote.objects.create(
        session=session,
        client=session.client,
        version=version,
        text="Synthetic note text that the equity report must never read.",
        word_count=words,
        stigmatizing_findings=flagged,
        written_by=session.therapist,
        superseded_at=START if superseded else None,
    )


def _agency(count: int, seed: int) -> list[dict[str, object]]:  # noqa: PLR0915
    """Create ``count`` clients with sessions, measures and identities; return the episodes."""
    generator = random.Random(seed)
    therapist = make_staff("tess", Role.THERAPIST)
    phq9, gad7, checkin = _instrument("phq9"), _instrument("gad7"), _instrument("session-checkin")
    episodes = []
    for index in range(count):
        referred = START + timedelta(
            days=generator.randrange(0, 300), hours=generator.randrange(0, 8)
        )
        client = Client.objects.create(case_code=f"T{index:05d}", chosen_name=f"Client {index}")
        Client.objects.filter(pk=client.pk).update(created_at=referred)
        groups: dict[str, list[str]] = {}
        if generator.random() < 0.85:
            identity = SelfIdentification.objects.create(client=client, version=1, answers={})
            groups["gender"] = [generator.choice(GENDERS)] if generator.random() < 0.9 else []
            languages = generator.sample(LANGUAGES, generator.choice((1, 1, 1, 2)))
            groups["languages"] = languages if generator.random() < 0.95 else []
            groups["fee_tier"] = [generator.choice(("full", "sliding"))]
            for question, codes in groups.items():
                for code in codes:
                    IdentityCategory.objects.create(
                        self_identification=identity, question=question, code=code
                    )
            Client.objects.filter(pk=client.pk).update(latest_identity=identity)
        seen = generator.random() < 0.8
        wait = generator.randrange(1, 60)
        first = referred + timedelta(days=wait) if seen else None
        held = missed = 0
        when = first
        note_words = note_findings = 0
        # Notes are denser in flagged words for clients who selected Spanish (a planted gap).
        density = 0.02 if "es" in groups.get("languages", []) else 0.008
        if seen:
            for _ in range(generator.randrange(1, 10)):
                status = generator.choice(("held", "held", "held", "no_show", "cancelled"))
                by = generator.choice(("client", "therapist")) if status == "cancelled" else ""
                if when == first:
                    status, by = "held", ""
                session = TherapySession.objects.create(
                    client=client,
                    therapist=therapist,
                    starts_at=when,
                    status=status,
                    cancelled_by=by,
                )
                if status == "held" and generator.random() < 0.7:
                    words = generator.randrange(40, 400)
                    flagged = sum(generator.random() < density for _ in range(words))
                    if generator.random() < 0.3:  # an earlier version never counts
                        _note(session, 1, 999, 9, superseded=True)
                        _note(session, 2, words, flagged)
                    else:
                        _note(session, 1, words, flagged)
                    note_words += words
                    note_findings += flagged
                held += status == "held"
                missed += status == "no_show" or by == "client"
                when += timedelta(days=7)
            # A future session and a therapist-cancelled one count for nothing.
            TherapySession.objects.create(
                client=client, therapist=therapist, starts_at=when + timedelta(days=400)
            )
        else:
            TherapySession.objects.create(
                client=client,
                therapist=therapist,
                starts_at=referred + timedelta(days=3),
                status="cancelled",
                cancelled_by="agency",
            )
        scores: dict[str, object] = {}
        if seen and generator.random() < 0.8:
            values = [generator.randrange(0, 28) for _ in range(generator.randrange(1, 4))]
            for offset, value in enumerate(values):
                _respond(client, phq9, first + timedelta(days=offset * 14, hours=1), total=value)
            scores["phq9_first"], scores["phq9_last"] = values[0], values[-1]
            values = [generator.randrange(0, 22) for _ in range(generator.randrange(1, 4))]
            for offset, value in enumerate(values):
                _respond(client, gad7, first + timedelta(days=offset * 14, hours=2), total=value)
            scores["gad7_first"], scores["gad7_last"] = values[0], values[-1]
        humility = alliance = ""
        if seen and generator.random() < 0.7:
            ratings = [
                (generator.randrange(0, 11), generator.randrange(0, 11))
                for _ in range(generator.randrange(1, 4))
            ]
            for offset, (h, a) in enumerate(ratings):
                _respond(
                    client,
                    checkin,
                    first + timedelta(days=offset, hours=3),
                    subscales={"humility": h, "alliance": a},
                )
            humility = 10 * sum(h for h, _ in ratings) / len(ratings)
            alliance = 10 * sum(a for _, a in ratings) / len(ratings)
        reason = generator.choice(("", "completed", "dropped_out", "transferred"))
        closed = None
        if reason:
            closed = (when or referred) + timedelta(days=1)
            Client.objects.filter(pk=client.pk).update(closed_at=closed, end_reason=reason)
        episodes.append(
            {
                "episode_id": client.pk,
                "client_id": client.pk,
                "referral_date": referred.date().isoformat(),
                "first_session_date": first.date().isoformat() if first else "",
                "end_date": closed.date().isoformat() if closed else "",
                "end_reason": reason or "ongoing",
                "sessions_scheduled": held + missed,
                "sessions_attended": held,
                "phq9_first": scores.get("phq9_first", ""),
                "phq9_last": scores.get("phq9_last", ""),
                "gad7_first": scores.get("gad7_first", ""),
                "gad7_last": scores.get("gad7_last", ""),
                "humility_mean": humility,
                "alliance_mean": alliance,
                "note_words": note_words or "",
                "note_findings": note_findings if note_words else "",
                **{attribute: ";".join(groups.get(attribute, [])) for attribute in ATTRIBUTES},
                "referral_quarter": f"{referred.year}-Q{(referred.month + 2) // 3}",
            }
        )
    return episodes


def _from_file(tmp_path, episodes, attributes=ATTRIBUTES, **options):  # type: ignore[no-untyped-def]
    path = tmp_path / "episodes.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        fields = [*EPISODE_COLUMNS, *NOTE_COLUMNS, *attributes]
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(episodes)
    return build_report(load_episodes(path), **options)


# Only the app's database knows whether invitations arrived: an episode file has no reach.
REACH_METRICS = {"invitation_unreached_rate", "sms_opt_out_rate"}


def _assert_same(from_database, from_file) -> None:  # type: ignore[no-untyped-def]
    assert from_database.n_tests == from_file.n_tests
    db_rows = [row for row in from_database.rows if row.metric not in REACH_METRICS]
    file_rows = [row for row in from_file.rows if row.metric not in REACH_METRICS]
    assert len(db_rows) == len(file_rows)
    for db_row, file_row in zip(db_rows, file_rows, strict=True):
        assert (db_row.metric, db_row.attribute, db_row.group) == (
            file_row.metric,
            file_row.attribute,
            file_row.group,
        )
        assert db_row.n == file_row.n and db_row.suppressed == file_row.suppressed
        for field in ("value", "ci_low", "ci_high", "ratio", "p_value", "q_value"):
            expected = getattr(file_row, field)
            if expected is None:
                assert getattr(db_row, field) is None
            else:
                assert getattr(db_row, field) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.fixture
def agency_episodes(db):  # type: ignore[no-untyped-def]
    return _agency(160, seed=3)


def test_it_equals_the_report_of_the_same_episodes_as_a_file(agency_episodes, tmp_path) -> None:
    options = {"intersect": [("gender", "languages")], "min_cell": 11}
    from_database = report_from_database(attributes=ATTRIBUTES, **options)
    _assert_same(from_database, _from_file(tmp_path, agency_episodes, **options))
    assert from_database.n_episodes == 160
    shown = [row for row in from_database.rows if not row.suppressed]
    assert {row.metric for row in shown} >= {
        "days_to_first_session",
        "no_show_rate",
        "humility_mean",
        "stigmatizing_per_1000_words",
    }
    assert any(row.group == "not disclosed" for row in from_database.rows)
    planted = next(
        row
        for row in from_database.rows
        if (row.metric, row.attribute, row.group)
        == ("stigmatizing_per_1000_words", "languages", "es")
    )
    assert planted.ratio > 1.5 and planted.significant


def test_a_period_keeps_the_episodes_referred_in_it(agency_episodes, tmp_path) -> None:
    period = (date(2025, 1, 1), date(2025, 7, 1))
    inside = [e for e in agency_episodes if e["referral_date"] < "2025-07-01"]
    from_database = report_from_database(attributes=ATTRIBUTES, period=period)
    _assert_same(from_database, _from_file(tmp_path, inside))
    assert from_database.n_episodes == len(inside) < len(agency_episodes)


def test_an_unknown_attribute_is_refused(db) -> None:
    with pytest.raises(EquityInputError, match="not an attribute"):
        report_from_database(attributes=("shoe_size",))
    with pytest.raises(EquityInputError, match="cannot intersect"):
        report_from_database(intersect=[("gender", "shoe_size")])


def test_an_empty_database_gives_an_empty_report(db) -> None:
    report = report_from_database()
    assert report.n_episodes == 0
    assert report.rows == [] or all(row.suppressed for row in report.rows)


def test_the_command_without_input_reports_on_the_database(agency_episodes, capsys) -> None:
    from attune.equity.cli import main

    assert main(["report", "--intersect", "gender,languages", "--min-cell", "11"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["n_episodes"] == len(agency_episodes)
    assert {row["attribute"] for row in document["metrics"]} >= {"gender", "gender+languages"}


def test_the_command_says_in_one_line_when_the_database_cannot_be_read(db, monkeypatch, capsys):
    from django.db import DatabaseError

    from attune.equity import cli, database

    def broken(**_options):  # type: ignore[no-untyped-def]
        raise DatabaseError("no such table: clients_client")

    monkeypatch.setattr(database, "report_from_database", broken)
    assert cli.main(["report"]) == 2
    error = capsys.readouterr().err
    assert "cannot read the app's database" in error and len(error.strip().splitlines()) == 1


def test_an_intersection_brings_its_attributes_along(agency_episodes) -> None:
    report = report_from_database(attributes=("fee_tier",), intersect=[("gender", "languages")])
    assert {row.attribute for row in report.rows} == {
        "fee_tier",
        "gender",
        "languages",
        "gender+languages",
    }


def test_quarters_of_referral_intersect_with_an_attribute(agency_episodes, tmp_path) -> None:
    attributes = ("gender", "referral_quarter")
    options = {"intersect": [("referral_quarter", "gender")]}
    from_database = report_from_database(attributes=attributes, **options)
    _assert_same(from_database, _from_file(tmp_path, agency_episodes, attributes, **options))
    quarters = {row.group for row in from_database.rows if row.attribute == "referral_quarter"}
    assert quarters == {"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"}


def test_no_note_text_ever_appears_in_the_output(agency_episodes, client) -> None:
    from django.urls import reverse

    from attune.equity import render_csv, render_html, render_json

    report = report_from_database(attributes=ATTRIBUTES)
    assert any(
        row.metric == "stigmatizing_per_1000_words" and not row.suppressed for row in report.rows
    )
    outputs = [render_json(report), render_csv(report), render_html(report)]
    leader = make_staff("lead", Role.LEADER)
    client.force_login(leader)
    refresh_figures()
    for attribute in ATTRIBUTES:
        response = client.get(
            reverse("equity:dashboard"),
            {"metric": "stigmatizing_per_1000_words", "attribute": attribute},
        )
        assert response.status_code == 200
        outputs.append(response.content.decode())
    assert "Stigmatizing language in session notes" in outputs[-1]
    for output in outputs:
        assert "Synthetic note text" not in output and "never read" not in output
