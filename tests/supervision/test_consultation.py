"""Consultation groups through their pages: membership, presenting, confirming, replying."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from attune.access.actor import Actor
from attune.access.models import AccessEvent, TrailAction
from attune.clients import services as client_services
from attune.supervision.models import CaseFeedback, CasePresentation, CaseStatus
from tests.supervision.consultation_builders import make_group, post_case, reply


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def group(agency):
    return make_group(agency.leader, agency.therapist_a, agency.supervisor, agency.therapist_b)


def compose_data(**overrides):
    data = {
        "title": "Family expectations",
        "question": "How do I raise the family's hopes without taking sides?",
        "context": "Zoë-Ann told me on 12 March 2024 that her aunt Rosa Brennan worries.",
        "other_names": "Rosa Brennan",
        "places": "",
        "birth_date": "1990-06-01",
        "preview": "1",
    }
    return {**data, **overrides}


def test_a_leader_creates_a_group_and_manages_members_but_reads_no_case(agency):
    leader = signed_in(agency.leader)
    response = leader.post(reverse("supervision:consultation_group_new"), {"name": "Peers"})
    group_url = response["Location"]
    group_id = int(group_url.rstrip("/").split("/")[-2])
    leader.post(group_url, {"member": agency.therapist_a.pk})
    response = leader.post(group_url, {"member": agency.leader.pk})
    assert "Choose who to add" in response.content.decode()  # leaders are not offered
    assert response.status_code == 200
    group = agency.therapist_a.consultation_memberships.get().group
    case = post_case(agency.therapist_a, group, agency.client_a)
    assert leader.get(reverse("supervision:consultation_group", args=[group_id])).status_code == 404
    assert leader.get(reverse("supervision:consultation_case", args=[case.pk])).status_code == 404


def test_the_presenter_previews_confirms_and_posts_a_de_identified_case(agency, group):
    ana = signed_in(agency.therapist_a)
    start = reverse("supervision:consultation_case_new", args=[group.pk, agency.client_a.pk])
    page = ana.get(start).content.decode()
    assert "Zoë-Ann O&#x27;Brien" in page or "Zoë-Ann O'Brien" in page
    preview = ana.post(start, compose_data())
    body = preview.content.decode()
    assert preview.status_code == 200 and "<mark>[Client]" in body and "[Person 1]" in body
    draft = CasePresentation.objects.get(status=CaseStatus.DRAFT)
    assert draft.question == "" and draft.context == ""  # a draft holds no text
    post_url = reverse("supervision:consultation_case_post", args=[draft.pk])
    final = {
        "final_title": "Family expectations",
        "final_question": "How do I raise the family's hopes without taking sides?",
    }
    shown = body.split('class="audit-text"')[1].split("</div>")[0]
    assert "12 March 2024" not in shown and "Brennan" not in shown and "Zo" not in shown
    data = {**compose_data(), **final}
    data.pop("preview")
    data["final_context"] = "[Client] told me that her aunt [Person 1] worries."
    refused = ana.post(post_url, {**data, "post": "1"})
    assert "Confirm that you have read" in refused.content.decode()
    posted = ana.post(post_url, {**data, "post": "1", "confirm": "on"})
    assert posted.status_code == 302
    case = CasePresentation.objects.get(pk=draft.pk)
    assert case.status == CaseStatus.POSTED
    assert "Zo" not in case.context and "Rosa" not in case.context
    again = ana.post(post_url, {**data, "post": "1", "confirm": "on"})
    assert again.status_code == 404  # posted once; the draft is gone
    assert CasePresentation.objects.filter(status=CaseStatus.POSTED).count() == 1
    actions = list(
        AccessEvent.objects.filter(client_ref=agency.client_a.pk, section="consultation")
        .order_by("id")
        .values_list("action", "object_type")
    )
    assert (TrailAction.VIEW, "client") in actions  # the presentation read the record
    assert (TrailAction.CREATE, "case_presentation") in actions


@pytest.mark.parametrize(
    ("edited", "said"),
    [
        ("Zoe-Ann said her aunt worries.", "is still there"),
        ("[Client] wrote from zo.obrien90@example.org.", "an email address"),
        ("[Client] was born 06/01/1990.", "the date of birth"),
        ("[Client] came on 2 May 2024.", "was not shifted"),
        ("ZOË-ANN's aunt worries.", "is still there"),
        ("[Client] is 35 years old.", "an exact age"),
    ],
)
def test_posting_refuses_a_confirmed_text_that_still_identifies_the_client(
    agency, group, edited, said
):
    ana = signed_in(agency.therapist_a)
    start = reverse("supervision:consultation_case_new", args=[group.pk, agency.client_a.pk])
    ana.post(start, compose_data())
    draft = CasePresentation.objects.get(status=CaseStatus.DRAFT)
    data = {**compose_data(), "final_title": "T", "final_question": "Q?", "final_context": edited}
    data.pop("preview")
    response = ana.post(
        reverse("supervision:consultation_case_post", args=[draft.pk]),
        {**data, "post": "1", "confirm": "on"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Not posted" in body and said in body
    draft.refresh_from_db()
    assert draft.status == CaseStatus.DRAFT and draft.context == ""


def test_a_client_not_on_the_presenters_caseload_and_a_non_member_get_404(agency, group):
    ben_case = post_case(agency.therapist_b, group, agency.client_b)
    ana = signed_in(agency.therapist_a)
    url = reverse("supervision:consultation_case_new", args=[group.pk, agency.client_b.pk])
    assert ana.get(url).status_code == 404
    assert ana.post(url, compose_data()).status_code == 404
    outsider = client_services.client_create(
        actor=Actor.system(), therapist=agency.therapist_b, chosen_name="Outside Person"
    )
    other_group = make_group(agency.leader, agency.therapist_b)
    outside_case = post_case(agency.therapist_b, other_group, outsider)
    for path in (
        reverse("supervision:consultation_case", args=[outside_case.pk]),
        reverse("supervision:consultation_group", args=[other_group.pk]),
    ):
        assert ana.get(path).status_code == 404
    assert ana.get(reverse("supervision:consultation_case", args=[ben_case.pk])).status_code == 200


def test_members_reply_in_threads_once_per_submission(agency, group):
    case = post_case(agency.therapist_a, group, agency.client_a)
    sol = signed_in(agency.supervisor)
    url = reverse("supervision:consultation_case_reply", args=[case.pk])
    key = str(uuid.uuid4())
    for _ in range(2):
        response = sol.post(url, {"body": "What does the family hope for?", "submission_key": key})
        assert response.status_code == 302
    first = CaseFeedback.objects.get()
    ben = signed_in(agency.therapist_b)
    ben.post(
        url,
        {"body": "Ask about the aunt's role.", "parent": first.pk, "submission_key": uuid.uuid4()},
    )
    nested = CaseFeedback.objects.get(parent=first)
    page = ben.get(reverse("supervision:consultation_case", args=[case.pk])).content.decode()
    assert page.index("What does the family hope for?") < page.index("Ask about the aunt")
    assert f'id="reply-{nested.pk}"' in page


def test_a_reply_with_the_clients_identifiers_is_refused_and_never_shown(agency, group):
    case = post_case(agency.therapist_a, group, agency.client_a, other_names=["Rosa Brennan"])
    ben = signed_in(agency.therapist_b)
    url = reverse("supervision:consultation_case_reply", args=[case.pk])
    response = ben.post(url, {"body": "Is this Zoe Ann? Ask Rosa.", "submission_key": uuid.uuid4()})
    body = response.content.decode()
    assert (
        response.status_code == 400 and "not posted" in body and "Nobody else has seen it" in body
    )
    assert not CaseFeedback.objects.exists()
    denied = AccessEvent.objects.get(action=TrailAction.DENIED)
    assert denied.flagged and "Zoe" not in denied.detail and "Rosa" not in denied.detail
    page = signed_in(agency.supervisor).get(
        reverse("supervision:consultation_case", args=[case.pk])
    )
    assert "Zoe Ann" not in page.content.decode() and "Ask Rosa" not in page.content.decode()


def test_reading_a_case_is_in_the_trail(agency, group):
    case = post_case(agency.therapist_a, group, agency.client_a)
    signed_in(agency.supervisor).get(reverse("supervision:consultation_case", args=[case.pk]))
    event = AccessEvent.objects.filter(object_type="case_presentation", action=TrailAction.VIEW)
    assert event.get().actor == agency.supervisor
    reply(agency.supervisor, case, "Thank you.")
    assert AccessEvent.objects.filter(object_type="case_feedback").exists()
