"""System-of-care pages run a fixed number of queries, however many items, actions or partners."""

from __future__ import annotations

from django.urls import reverse

from attune.access.actor import Actor
from attune.organisation import services
from tests.clients.test_query_counts import queries_for, signed_in
from tests.community.builders import make_partner, make_referral
from tests.language.builders import make_docx

from .builders import make_action, make_assessment


def add_documents(leader, assessment, count: int) -> None:
    item = assessment.items.first()
    for n in range(count):
        services.item_document_audit(
            actor=Actor(user=leader),
            item=item,
            data=make_docx([f"Title: Mr / Mrs ({n})"]),
            filename=f"form-{n}.docx",
        )


def test_it_keeps_the_assessment_page_flat(agency):
    assessment = make_assessment(agency.leader)
    http = signed_in(agency.leader)
    url = reverse("organisation:assessment_detail", args=[assessment.pk])
    add_documents(agency.leader, assessment, 1)
    make_action(agency.leader, agency.therapist_a, assessment_item=assessment.items.first())
    small = queries_for(http, url)
    add_documents(agency.leader, assessment, 5)
    for item in assessment.items.all():
        make_action(agency.leader, agency.therapist_b, assessment_item=item)
    make_assessment(agency.leader, title="Another")
    assert queries_for(http, url) == small


def test_it_keeps_the_action_board_flat(agency):
    http = signed_in(agency.leader)
    url = reverse("organisation:action_board")
    make_action(agency.leader, agency.therapist_a)
    small = queries_for(http, url)
    for n in range(12):
        make_action(agency.leader, agency.therapist_b, title=f"Action {n}")
    assert queries_for(http, url) == small


def test_it_keeps_the_partner_and_referral_pages_flat(agency):
    partner = make_partner(agency.leader)
    make_referral(agency.therapist_a, agency.client_a, partner)
    leader, therapist = signed_in(agency.leader), signed_in(agency.therapist_a)
    referrals = reverse("community:client_referrals", args=[agency.client_a.pk])
    partners = reverse("community:partner_list")
    small = (queries_for(leader, partners), queries_for(therapist, referrals))
    for n in range(8):
        other = make_partner(agency.leader, name=f"Partner {n}", kinds=["peer", "faith"])
        make_referral(agency.therapist_a, agency.client_a, other)
    assert (queries_for(leader, partners), queries_for(therapist, referrals)) == small
