"""Consultation groups and cases for the tests, built through the real services."""

from __future__ import annotations

import uuid
from datetime import date

from attune.access.actor import Actor
from attune.supervision import services
from attune.supervision.models import CasePresentation
from attune.supervision.services.consultation import extra_identifiers, preview


def make_group(leader, *members, name="Cultural consultation"):
    group = services.group_create(actor=Actor(user=leader), name=name)
    for member in members:
        services.membership_add(actor=Actor(user=leader), group=group, member=member)
    return group


def post_case(
    presenter,
    group,
    client,
    *,
    title="Working with a family's expectations",
    question="How would you open the subject of the family's hopes?",
    context="",
    other_names=(),
    places=(),
    birth_date: date | None = None,
) -> CasePresentation:
    """Start, preview and post a case as its presenter would, confirming the preview as is."""
    actor = Actor(user=presenter)
    draft = services.case_draft_start(actor=actor, group=group, client=client)
    source = {"title": title, "question": question, "context": context}
    extra = extra_identifiers(other_names=other_names, places=places, birth_date=birth_date)
    final = {name: result.text for name, result in preview(draft, source, extra).items()}
    case, refusal = services.case_post(
        actor=actor, case=draft, source=source, final=final, extra=extra
    )
    assert not refusal, refusal.messages
    return case


def reply(author, case, body, parent=None):
    return services.feedback_add(
        actor=Actor(user=author),
        case=case,
        body=body,
        submission_key=uuid.uuid4(),
        parent=parent,
    )
