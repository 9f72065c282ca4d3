"""Humility feedback: once per period, released once after the period, three or more only.

The differencing tests compare everything a supervisor can see at n=2, n=3 and n=3 plus a late
answer, and check that no single answer can be read from the difference.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError
from django.test import Client as HttpClient
from django.urls import reverse

from attune.access.actor import Actor
from attune.access.models import Role
from attune.relationships.models import SupervisionPair
from attune.supervision import humility, services
from attune.supervision.models import FeedbackRelease, HumilityFeedback
from attune.supervision.queries import agency_feedback
from tests.conftest import make_staff

IN_H1 = date(2026, 3, 10)
AFTER_H1 = date(2026, 7, 2)  # H1 has closed; answers now count towards H2
AFTER_H2 = date(2027, 1, 5)


def _supervisees(agency, n: int, supervisor=None) -> list:
    supervisor = supervisor or agency.supervisor
    people = [agency.therapist_a] if supervisor == agency.supervisor else []
    index = 0
    while len(people) < n:
        index += 1
        user = make_staff(f"t{supervisor.pk}x{index}", Role.THERAPIST)
        SupervisionPair.objects.create(
            supervisor=supervisor, supervisee=user, starts_on=date(2025, 1, 1)
        )
        people.append(user)
    return people


def _answer(person, supervisor, value: int, comment: str = "", today=IN_H1):
    return services.feedback_submit(
        actor=Actor(user=person),
        supervisor=supervisor,
        answers={key: value for key in humility.ITEM_KEYS},
        comment=comment,
        today=today,
    )


def _visible(agency, today) -> list:
    """Everything the supervisor can see of their results, as plain data."""
    releases = services.feedback_release_due(
        actor=Actor(user=agency.supervisor), supervisor=agency.supervisor, today=today
    )
    return [(r.period, r.respondents if not r.held else None, r.summary) for r in releases]


def test_feedback_is_given_exactly_once_per_period(agency):
    _answer(agency.therapist_a, agency.supervisor, 3)
    with pytest.raises(services.AlreadyAnsweredError, match="already given feedback"):
        _answer(agency.therapist_a, agency.supervisor, 1)
    assert HumilityFeedback.objects.count() == 1
    with pytest.raises(IntegrityError):
        HumilityFeedback.objects.create(
            supervisor=agency.supervisor,
            supervisee=agency.therapist_a,
            period="2026-H1",
            answers={},
            submitted_at="2026-03-10T10:00:00Z",
        )


def test_the_form_says_plainly_when_already_answered(agency):
    http = HttpClient()
    http.force_login(agency.therapist_a)
    url = reverse("supervision:feedback_form", args=[agency.supervisor.pk])
    page = http.get(url).content.decode()
    assert "not a validated measure" in page
    data = {key: "3" for key in humility.ITEM_KEYS}
    assert http.post(url, {**data, "comment": "Kind and curious"}).status_code == 302
    again = http.post(url, {**data, "comment": "Second try"})
    assert again.status_code == 200
    assert "You have already given feedback" in again.content.decode()
    assert "Second try" in again.content.decode()
    assert HumilityFeedback.objects.count() == 1
    # The trail says feedback was given, never what it said.
    from attune.access.models import AccessEvent

    event = AccessEvent.objects.get(object_type="humility_feedback")
    assert "Kind" not in event.detail


def test_an_empty_or_out_of_range_answer_stores_nothing(agency):
    http = HttpClient()
    http.force_login(agency.therapist_a)
    url = reverse("supervision:feedback_form", args=[agency.supervisor.pk])
    assert "Answer at least one statement." in http.post(url, {"comment": "hi"}).content.decode()
    with pytest.raises(services.FeedbackError):
        services.feedback_submit(
            actor=Actor(user=agency.therapist_a),
            supervisor=agency.supervisor,
            answers={"safe_mistakes": 9},
        )
    assert not HumilityFeedback.objects.exists()


def test_nothing_is_shown_while_the_period_is_open(agency):
    people = _supervisees(agency, 3)
    for person in people:
        _answer(person, agency.supervisor, 2)
    assert _visible(agency, today=IN_H1) == []


def test_two_answers_are_held_and_a_late_third_does_not_release_them(agency):
    people = _supervisees(agency, 3)
    _answer(people[0], agency.supervisor, 0, "first")
    _answer(people[1], agency.supervisor, 4, "second")
    at_two = _visible(agency, today=AFTER_H1)
    assert at_two == [("2026-H1", None, {})]  # held: no numbers, no comments
    late = _answer(people[2], agency.supervisor, 2, "late", today=AFTER_H1)
    assert late.period == "2026-H2"
    after_late = _visible(agency, today=AFTER_H1)
    assert after_late == at_two  # H1 never changes; H2 is still open
    assert _visible(agency, today=AFTER_H2) == [("2026-H2", None, {}), ("2026-H1", None, {})]


def test_three_answers_show_means_and_ranges_only_and_a_late_answer_changes_nothing(agency):
    people = _supervisees(agency, 4)
    _answer(people[0], agency.supervisor, 1, "Names what they are learning")
    _answer(people[1], agency.supervisor, 3, "")
    _answer(people[2], agency.supervisor, 4, "Safe to bring mistakes")
    at_three = _visible(agency, today=AFTER_H1)
    ((period, n, summary),) = at_three
    assert (period, n) == ("2026-H1", 3)
    assert set(summary) == {"n", "items", "comments"}
    for item in summary["items"]:
        assert set(item) == {"key", "text", "mean", "low", "high"}  # no per-answer counts
        assert (item["mean"], item["low"], item["high"]) == (2.7, 1, 4)
    assert sorted(summary["comments"]) == ["Names what they are learning", "Safe to bring mistakes"]
    # A fourth answer after the period closed belongs to the next one, so subtracting the two
    # views reveals nothing: the closed period's release is exactly the same.
    _answer(people[3], agency.supervisor, 0, "late", today=AFTER_H1)
    assert _visible(agency, today=AFTER_H1) == at_three
    assert FeedbackRelease.objects.filter(period="2026-H1").count() == 1
    assert _visible(agency, today=AFTER_H2)[0] == ("2026-H2", None, {})


def test_the_results_page_shows_no_author_and_says_when_results_are_held(agency):
    people = _supervisees(agency, 3)
    for person, value in zip(people, (1, 2, 4), strict=True):
        _answer(person, agency.supervisor, value, f"comment from {person.username}")
    # Answers about 2025-H2 from two people only: held.
    for person in people[:2]:
        _answer(person, agency.supervisor, 0, today=date(2025, 9, 1))
    http = HttpClient()
    http.force_login(agency.supervisor)
    body = http.get(reverse("supervision:feedback_results")).content.decode()
    assert "2.3" in body and "1–4" in body
    assert "results are held" in body
    for person in people:
        assert person.display_name not in body


def test_comment_order_does_not_follow_the_order_of_answering(agency):
    comments = [f"comment {n}" for n in range(12)]
    answers = [{key: 2 for key in humility.ITEM_KEYS}] * 12
    summary = humility.summarise(answers, comments, salt="some period")
    assert sorted(summary["comments"]) == sorted(comments)
    assert summary["comments"] != comments


def test_leaders_see_the_agency_aggregate_only_with_two_supervisors_or_more(agency):
    people = _supervisees(agency, 3)
    for person in people:
        _answer(person, agency.supervisor, 4)
    (h1,) = [row for row in agency_feedback(actor=Actor.system(), today=AFTER_H1, periods=1)]
    assert h1["items"] is None  # one supervisor alone: held, even with three answers
    second = make_staff("sia", Role.SUPERVISOR)
    for person in _supervisees(agency, 1, supervisor=second):
        _answer(person, second, 0)
    (h1,) = agency_feedback(actor=Actor.system(), today=AFTER_H1, periods=1)
    assert [item["mean"] for item in h1["items"]] == [3.0] * len(humility.ITEMS)
    http = HttpClient()
    http.force_login(agency.leader)
    assert http.get(reverse("supervision:feedback_results")).status_code == 404
    assert http.get(reverse("supervision:agency_feedback")).status_code == 200


def test_periods_are_calendar_half_years():
    assert humility.Period.containing(date(2026, 6, 30)).key == "2026-H1"
    assert humility.Period.containing(date(2026, 7, 1)).key == "2026-H2"
    assert humility.Period.parse("2026-H1").previous().key == "2025-H2"
    assert humility.Period.parse("2026-H2").previous().key == "2026-H1"
    assert humility.Period.parse("2026-H1").is_closed(date(2026, 7, 1))
    assert not humility.Period.parse("2026-H1").is_closed(date(2026, 6, 30))


def test_the_release_command_releases_closed_periods_once(agency):
    from django.core.management import call_command

    for person in _supervisees(agency, 3):
        _answer(person, agency.supervisor, 2, today=date(2025, 3, 1))
    call_command("release_supervision_feedback")
    call_command("release_supervision_feedback")
    release = FeedbackRelease.objects.get()
    assert release.period == "2025-H1" and release.respondents == 3 and not release.held
