"""The demo's plans: some clients have one, one is due for review today."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from attune.access.models import StaffUser
from attune.care import queries
from attune.care.models import CulturalAdaptation, PlanAgreement, TreatmentPlan
from attune.demo.agency import generate_agency
from attune.demo.care_plans import seed_care_plans

pytestmark = pytest.mark.django_db


def test_the_demo_has_plans_one_due_today_and_adaptations():
    generate_agency(clients=12, therapists=2, supervisors=1, identities=False)
    today = date(2026, 11, 24)
    assert seed_care_plans(today=today) == 4
    therapist = StaffUser.objects.get(username="therapist1")
    due = queries.plans_due_for_review(therapist=therapist, on=today)
    assert today in [plan.review_on for plan in due]
    assert TreatmentPlan.objects.filter(superseded_at__isnull=True).count() == 4
    assert PlanAgreement.objects.count() == 1 and CulturalAdaptation.objects.count() == 6
    call_command("seed_care_plans")  # a second run adds nothing
    assert TreatmentPlan.objects.count() == 8
