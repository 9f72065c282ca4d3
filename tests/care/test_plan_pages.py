"""The plan pages: two tabs, typed text kept, who sees what, every read in the trail."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.care import services
from attune.care.models import PlanAgreement, TreatmentPlan
from attune.clients.services import break_glass_open
from tests.care.builders import make_adaptation, make_plan

pytestmark = pytest.mark.django_db


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def plan_post(based_on="", words="Sleep through the night", **extra) -> dict:
    return {
        "based_on": based_on,
        "review_on": "2026-12-15",
        "words_1": words,
        "signs_1": "I wake up rested",
        "framing_1": "Sleep hygiene; rumination",
        **extra,
    }


def test_a_therapist_writes_a_plan_and_sees_it_with_its_framing(agency):
    http = signed_in(agency.therapist_a)
    url = f"/clients/{agency.client_a.pk}/plan/edit/"
    assert http.get(url).status_code == 200
    response = http.post(url, plan_post())
    assert response.status_code == 302
    page = http.get(f"/clients/{agency.client_a.pk}/plan/").content.decode()
    assert "Sleep through the night" in page and "rumination" in page
    assert "Not asked yet" in page
    plan = TreatmentPlan.objects.get()
    assert plan.review_on.isoformat() == "2026-12-15" and plan.written_by == agency.therapist_a


def test_two_tabs_the_second_save_shows_both_texts_and_loses_nothing(agency):
    make_plan(agency.client_a, "The original goal")
    http_one, http_two = signed_in(agency.therapist_a), signed_in(agency.therapist_a)
    url = f"/clients/{agency.client_a.pk}/plan/edit/"
    assert http_one.post(url, plan_post(based_on=1, words="First tab's words")).status_code == 302
    response = http_two.post(url, plan_post(based_on=1, words="Second tab's words"))
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone saved this plan while you were writing" in body
    assert "First tab&#x27;s words" in body and "Second tab&#x27;s words" in body
    assert 'name="based_on" value="2"' in body  # saving again starts from the newest version
    assert TreatmentPlan.objects.filter(client=agency.client_a).count() == 2
    again = http_two.post(url, plan_post(based_on=2, words="Second tab's words"))
    assert again.status_code == 302
    assert TreatmentPlan.objects.filter(client=agency.client_a).count() == 3


def test_bad_input_keeps_what_was_typed_and_changes_nothing(agency):
    http = signed_in(agency.therapist_a)
    url = f"/clients/{agency.client_a.pk}/plan/edit/"
    response = http.post(
        url,
        plan_post(review_on="not a date", words="", signs_1="Words the client chose carefully"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Words the client chose carefully" in body
    assert "Write the goal in the client&#x27;s words" in body
    assert "Enter the review date as a date" in body
    assert not TreatmentPlan.objects.exists()


def test_a_supervisor_sees_the_summary_without_framing_or_comments(agency):
    make_plan(agency.client_a, "Feel at home here", framing="Acculturative stress")
    issued = services.plan_link_issue(
        actor=Actor(user=agency.therapist_a), client=agency.client_a, purpose="plan_agreement"
    )
    services.plan_agreement_submit(
        actor=Actor(link_id=issued.link.pk),
        link=issued.link,
        plan_version=1,
        answer="agree",
        comment="My private comment",
    )
    body = signed_in(agency.supervisor).get(f"/clients/{agency.client_a.pk}/plan/")
    text = body.content.decode()
    assert body.status_code == 200
    assert "Feel at home here" in text and "Agreed" in text
    assert "Acculturative" not in text and "My private comment" not in text
    assert AccessEvent.objects.filter(section="plan_summary", actor=agency.supervisor).exists()
    for path in ("plan/edit/", "plan/history/", "adaptations/"):
        url = f"/clients/{agency.client_a.pk}/{path}"
        assert signed_in(agency.supervisor).get(url).status_code == 404


def test_leaders_and_other_therapists_never_see_a_plan(agency):
    make_plan(agency.client_a, "Private goal")
    for user in (agency.leader, agency.therapist_b):
        response = signed_in(user).get(f"/clients/{agency.client_a.pk}/plan/")
        assert response.status_code == 404 and b"Private goal" not in response.content


def test_break_glass_reads_and_writes_the_plan(agency):
    make_plan(agency.client_a, "Stay safe this week")
    break_glass_open(actor=Actor(user=agency.therapist_b), client=agency.client_a, reason="Crisis")
    http = signed_in(agency.therapist_b)
    assert b"Stay safe this week" in http.get(f"/clients/{agency.client_a.pk}/plan/").content
    response = http.post(f"/clients/{agency.client_a.pk}/plan/edit/", plan_post(based_on=1))
    assert response.status_code == 302
    assert TreatmentPlan.objects.get(superseded_at__isnull=True).written_by == agency.therapist_b


def test_every_read_of_a_plan_or_adaptation_is_in_the_trail(agency):
    make_plan(agency.client_a)
    adaptation = make_adaptation(agency.client_a)
    http = signed_in(agency.therapist_a)
    before = AccessEvent.objects.filter(action="view").count()
    paths = [
        f"/clients/{agency.client_a.pk}/",
        f"/clients/{agency.client_a.pk}/plan/",
        f"/clients/{agency.client_a.pk}/plan/history/",
        f"/clients/{agency.client_a.pk}/plan/edit/",
        f"/clients/{agency.client_a.pk}/adaptations/",
        f"/adaptations/{adaptation.pk}/edit/",
    ]
    for path in paths:
        assert http.get(path).status_code == 200, path
    plan_reads = AccessEvent.objects.filter(
        action="view", object_type__in=["treatment_plan", "cultural_adaptation"]
    )
    assert plan_reads.count() >= len(paths)
    assert AccessEvent.objects.filter(action="view").count() > before


def test_the_client_page_shows_the_plan_and_adaptations(agency):
    make_plan(agency.client_a, "Speak up at work")
    make_adaptation(agency.client_a, area="family", what="My aunt joins one session a month")
    body = signed_in(agency.therapist_a).get(f"/clients/{agency.client_a.pk}/").content.decode()
    assert "Speak up at work" in body and "My aunt joins one session a month" in body


def test_the_history_shows_every_version_and_the_clients_answers(agency):
    make_plan(agency.client_a, "First words")
    issued = services.plan_link_issue(
        actor=Actor(user=agency.therapist_a), client=agency.client_a, purpose="plan_agreement"
    )
    services.plan_agreement_submit(
        actor=Actor(link_id=issued.link.pk),
        link=issued.link,
        plan_version=1,
        answer="not_yet",
        comment="Add something about my kids",
    )
    make_plan(agency.client_a, "First words", "Time with my kids")
    body = (
        signed_in(agency.therapist_a)
        .get(f"/clients/{agency.client_a.pk}/plan/history/")
        .content.decode()
    )
    assert "Version 1" in body and "Version 2" in body
    assert "Add something about my kids" in body and "not yet" in body
    assert PlanAgreement.objects.get().plan.version == 1


def test_a_plan_link_is_made_only_for_its_purposes(agency):
    http = signed_in(agency.therapist_a)
    url = f"/clients/{agency.client_a.pk}/plan/link/"
    response = http.post(url, {"purpose": "plan_agreement"})
    assert response.status_code == 200 and b"/c/" in response.content
    assert http.post(url, {"purpose": "client_view"}).status_code == 302  # not chosen yet
    assert http.post(url, {"purpose": "profile"}).status_code == 302
