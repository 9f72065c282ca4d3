"""``SupervisionPair.objects.in_force()``: the one definition of a pair in force on a day."""

from __future__ import annotations

from datetime import date

import pytest

from attune.access import policy
from attune.relationships.models import SupervisionPair
from attune.supervision.models import CaseStatus

pytestmark = pytest.mark.django_db


def test_in_force_counts_the_first_and_last_day_and_open_ended_pairs(agency):
    pair = SupervisionPair.objects.filter(supervisee=agency.therapist_a).first()
    pair.starts_on, pair.ends_on = date(2026, 3, 1), date(2026, 3, 31)
    pair.save()
    in_force = SupervisionPair.objects.in_force
    assert pair in in_force(on=date(2026, 3, 1))
    assert pair in in_force(on=date(2026, 3, 31))
    assert pair not in in_force(on=date(2026, 2, 28))
    assert pair not in in_force(on=date(2026, 4, 1))
    assert pair.is_in_force(date(2026, 3, 15)) and not pair.is_in_force(date(2026, 4, 1))
    pair.ends_on = None
    pair.save()
    assert pair in in_force(on=date(2030, 1, 1))
    assert pair in in_force()


def test_policy_compares_case_status_by_the_same_values():
    assert policy.CASE_DRAFT == CaseStatus.DRAFT
    assert policy.CASE_POSTED == CaseStatus.POSTED
