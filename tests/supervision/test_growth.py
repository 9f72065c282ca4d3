"""Growth plans: both people write, every entry keeps its author, and history is kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from attune.access.actor import Actor
from attune.supervision import services
from attune.supervision.models import GrowthEntry


def test_supervisee_and_supervisor_both_write_and_each_entry_keeps_its_author(agency):
    goal = services.goal_add(
        actor=Actor(user=agency.therapist_a),
        supervisee=agency.therapist_a,
        kind="consultation",
        title="Join a consultation group",
        target_on=date(2026, 12, 1),
    )
    services.entry_add(
        actor=Actor(user=agency.therapist_a),
        goal=goal,
        kind="evidence",
        text="Went to two sessions",
    )
    services.entry_add(
        actor=Actor(user=agency.supervisor), goal=goal, kind="review", text="Good progress"
    )
    entries = list(GrowthEntry.objects.order_by("pk"))
    assert [(e.author, e.kind) for e in entries] == [
        (agency.therapist_a, "evidence"),
        (agency.supervisor, "review"),
    ]
    http = HttpClient()
    http.force_login(agency.supervisor)
    body = http.get(
        reverse("supervision:growth_plan", args=[agency.therapist_a.pk])
    ).content.decode()
    assert "Good progress" in body and "Went to two sessions" in body and "Ana Therapist" in body


def test_changing_a_goal_keeps_what_it_was(agency):
    goal = services.goal_add(
        actor=Actor(user=agency.therapist_a),
        supervisee=agency.therapist_a,
        kind="education",
        title="Read",
    )
    services.goal_change(
        actor=Actor(user=agency.supervisor),
        goal=goal,
        version=1,
        kind="training",
        title="Read and practise",
        description="",
        target_on=date(2026, 6, 1),
        status="active",
    )
    change = GrowthEntry.objects.get(kind="change")
    assert change.author == agency.supervisor
    assert (
        "title: Read → Read and practise" in change.text
        and "kind: education → training" in change.text
    )


def test_a_stale_goal_edit_is_refused_and_keeps_the_typed_text(agency):
    goal = services.goal_add(
        actor=Actor(user=agency.therapist_a),
        supervisee=agency.therapist_a,
        kind="education",
        title="Read",
    )
    fields = {"kind": "education", "description": "", "target_on": None, "status": "active"}
    services.goal_change(
        actor=Actor(user=agency.therapist_a), goal=goal, version=1, title="First tab", **fields
    )
    with pytest.raises(services.StaleEditError):
        services.goal_change(
            actor=Actor(user=agency.supervisor), goal=goal, version=1, title="Second", **fields
        )
    http = HttpClient()
    http.force_login(agency.supervisor)
    response = http.post(
        reverse("supervision:goal_edit", args=[goal.pk]),
        {"kind": "education", "title": "Second tab", "status": "active", "version": 1},
    )
    body = response.content.decode()
    assert (
        response.status_code == 200 and "Someone changed this goal" in body and "Second tab" in body
    )
    goal.refresh_from_db()
    assert goal.title == "First tab"


def test_bad_input_changes_nothing_and_says_why(agency):
    http = HttpClient()
    http.force_login(agency.therapist_a)
    response = http.post(
        reverse("supervision:goal_add", args=[agency.therapist_a.pk]), {"title": "A goal"}
    )
    assert response.status_code == 200
    assert "Choose the kind of goal." in response.content.decode()
    assert 'value="A goal"' in response.content.decode()
