"""The demo's supervision: a held meeting with notes and actions, a growth plan, and feedback
from enough supervisees for a closed half-year to be released."""

from __future__ import annotations

from django.utils import timezone

from attune.access.actor import Actor
from attune.access.models import Role, StaffUser
from attune.demo.agency import generate_agency
from attune.demo.supervision import seed_supervision
from attune.supervision import humility, services
from attune.supervision.models import GrowthEntry, MeetingAction, SupervisionMeeting


def test_it_seeds_supervision_for_the_demo(db):
    generate_agency(clients=20, identities=False)
    seed_supervision()
    held = SupervisionMeeting.objects.get(status="held")
    assert held.notes and MeetingAction.objects.filter(meeting=held).count() == 2
    assert GrowthEntry.objects.values("author").distinct().count() == 2
    supervisor = StaffUser.objects.filter(role=Role.SUPERVISOR).order_by("pk").first()
    releases = services.feedback_release_due(actor=Actor(user=supervisor), supervisor=supervisor)
    closed = humility.Period.containing(timezone.localdate()).previous()
    (release,) = releases
    assert release.period == closed.key and not release.held and release.respondents >= 3
    seed_supervision()  # a second run adds nothing
    assert SupervisionMeeting.objects.count() == 2
