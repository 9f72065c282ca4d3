"""The goals check-in asks about the goals of the client's current plan when there is one."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from attune.access.actor import Actor
from attune.care import services
from attune.measures import services as measures_services
from attune.measures.goals import CLIENT_NAMED_GOALS_LIMIT, goals_checkin
from attune.measures.models import CheckIn
from tests.care.builders import make_plan
from tests.measures.checkins import BASE_URL, answer, scheduled_session, session_answers

pytestmark = pytest.mark.django_db


def mark_held(session, goals=()):
    return services.session_mark_held(
        actor=Actor(user=session.therapist), session=session, base_url=BASE_URL, goal_texts=goals
    )


def test_a_held_session_asks_about_the_current_plans_goals(agency):
    goals = [f"Goal number {n}" for n in range(1, 6)]  # more than a client names without a plan
    make_plan(agency.client_a, "An older goal")
    make_plan(agency.client_a, *goals)
    held = mark_held(scheduled_session(agency.client_a), goals=["Ignored: the plan decides"])
    checkin = CheckIn.objects.get(session=held.session)
    assert list(checkin.goal_texts) == goals
    parts = measures_services.checkin_instruments(checkin)
    rated = [item.text.default for item in parts[1][1].items if item.link_id.startswith("goal-")]
    assert rated == [f"How far along am I with: {goal}" for goal in goals]


def test_the_client_rates_the_plans_goals_and_the_score_is_stored(agency):
    make_plan(agency.client_a, "Sleep better", "Call my sister", "Walk every day", "Cook again")
    held = mark_held(scheduled_session(agency.client_a))
    checkin = CheckIn.objects.get(session=held.session)
    sent = measures_services.SentCheckIn(checkin=checkin, url=held.checkin_url)
    goal_answers = {f"goal-{n}": 2 * n for n in range(1, 5)}
    responses = answer(sent, session_answers(7), goal_answers)
    goals = next(r for r in responses if r.instrument.name == "goals-checkin")
    assert goals.total == 5.0


def test_without_a_plan_the_client_names_up_to_three_goals(agency):
    held = mark_held(scheduled_session(agency.client_a), goals=["Feel calmer"])
    assert list(CheckIn.objects.get(session=held.session).goal_texts) == ["Feel calmer"]
    with pytest.raises(ValueError):
        mark_held(scheduled_session(agency.client_a), goals=["a", "b", "c", "d"])
    assert CLIENT_NAMED_GOALS_LIMIT == 3


def test_the_sessions_page_shows_the_plans_goals_instead_of_asking(agency):
    http = HttpClient()
    http.force_login(agency.therapist_a)
    scheduled_session(agency.client_a)
    url = f"/clients/{agency.client_a.pk}/sessions/"
    assert 'name="goals"' in http.get(url).content.decode()
    make_plan(agency.client_a, "Be kinder to myself")
    page = http.get(url).content.decode()
    assert "current plan" in page and "Be kinder to myself" in page
    assert 'name="goals"' not in page


def test_the_goals_instrument_takes_up_to_ten_plan_goals():
    assert len(goals_checkin([f"g{n}" for n in range(10)], from_plan=True).items) == 11
