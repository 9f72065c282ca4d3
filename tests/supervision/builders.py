"""Builders for supervision tests: a second supervisor, pairs, meetings and goals."""

from __future__ import annotations

from datetime import date

from attune.access.actor import Actor
from attune.access.models import Role, StaffUser
from attune.relationships.models import SupervisionPair
from attune.supervision import services
from attune.supervision.models import GrowthGoal, SupervisionMeeting


def other_supervisor(agency) -> StaffUser:
    """Return "sia", a second supervisor who supervises therapist_b (created once)."""
    from tests.conftest import make_staff

    user = StaffUser.objects.filter(username="sia").first()
    if user is None:
        user = make_staff("sia", Role.SUPERVISOR, display_name="Sia Supervisor")
        SupervisionPair.objects.create(
            supervisor=user, supervisee=agency.therapist_b, starts_on=date(2025, 1, 1)
        )
    return user


def pair_of(supervisee) -> SupervisionPair:
    return SupervisionPair.objects.filter(supervisee=supervisee).order_by("pk").first()


def meeting(pair, meets_on: date | None = None) -> SupervisionMeeting:
    meets_on = meets_on or date.today()
    found = SupervisionMeeting.objects.filter(pair=pair, meets_on=meets_on).first()
    return found or services.meeting_plan(
        actor=Actor(user=pair.supervisor), pair=pair, meets_on=meets_on
    )


def goal(therapist) -> GrowthGoal:
    found = GrowthGoal.objects.filter(supervisee=therapist).first()
    return found or services.goal_add(
        actor=Actor(user=therapist), supervisee=therapist, kind="education", title="Read widely"
    )
