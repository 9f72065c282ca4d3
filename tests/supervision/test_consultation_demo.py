"""The demo's consultation group: members, one posted case, threaded replies, nothing leaked."""

from __future__ import annotations

from attune.demo.agency import generate_agency
from attune.demo.consultation import seed_consultation
from attune.supervision.models import CaseFeedback, CasePresentation, CaseStatus


def test_the_demo_seeds_a_group_with_a_posted_case_and_replies(db):
    generate_agency(clients=12, therapists=3, supervisors=1)
    group = seed_consultation()
    assert group is not None and group.memberships.count() == 4
    case = CasePresentation.objects.get(status=CaseStatus.POSTED)
    assert case.client.chosen_name not in case.question + case.context
    assert "[Client]" in case.question
    assert CaseFeedback.objects.filter(parent__isnull=False).count() == 1
    assert seed_consultation() is None  # once
