"""Build self-assessments and action items through the real services."""

from __future__ import annotations

from datetime import date

from attune.access.actor import Actor
from attune.organisation import services
from attune.organisation.items import parse_items

SMALL_ITEMS = """
version: 1
areas:
  - key: inclusive-language
    label: Inclusive language of forms and materials
    items:
      - key: intake-forms-language
        prompt: Intake forms let clients self-identify.
        documents: true
  - key: accessibility
    label: Accessibility
    items:
      - key: sliding-scale
        prompt: Fees follow a sliding scale.
        statement:
          section: fees
          text:
            en: Our fees follow a sliding scale.
            es: Nuestras tarifas son variables.
            ar: تتغيّر رسومنا حسب قدرتك على الدفع.
      - key: physical-access
        prompt: Step-free entrance.
        statement:
          section: physical
          text:
            en: Our building has a step-free entrance.
"""


def make_assessment(leader, *, title="Spring review", started_on=date(2026, 3, 1), **extra):
    return services.assessment_start(
        actor=Actor(user=leader),
        title=title,
        started_on=started_on,
        item_set=parse_items(SMALL_ITEMS),
        **extra,
    )


def make_action(leader, owner, *, title="Rewrite the intake form", **extra):
    return services.action_item_create(actor=Actor(user=leader), title=title, owner=owner, **extra)
