"""Cultural adaptations: recorded, changed with a version check, and the client's feedback."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.test import Client as HttpClient

from attune.access.actor import Actor
from attune.care import services
from attune.care.models import AdaptationFeedback, CulturalAdaptation
from tests.care.builders import make_adaptation

pytestmark = pytest.mark.django_db


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def form(**extra) -> dict:
    return {
        "area": "spiritual",
        "what": "We open with a moment of prayer when the client asks",
        "why": "Faith is the client's main support",
        "started_on": "2026-04-01",
        "stopped_on": "",
        **extra,
    }


def test_a_therapist_records_an_adaptation_and_sees_it_on_the_client_page(agency):
    http = signed_in(agency.therapist_a)
    response = http.post(f"/clients/{agency.client_a.pk}/adaptations/new/", form())
    assert response.status_code == 302
    adaptation = CulturalAdaptation.objects.get()
    assert adaptation.area == "spiritual" and adaptation.created_by == agency.therapist_a
    page = http.get(f"/clients/{agency.client_a.pk}/").content.decode()
    assert "moment of prayer" in page


def test_bad_dates_keep_what_was_typed(agency):
    http = signed_in(agency.therapist_a)
    response = http.post(
        f"/clients/{agency.client_a.pk}/adaptations/new/", form(stopped_on="2026-01-01")
    )
    assert response.status_code == 200
    assert "The stop date is before the start date" in response.content.decode()
    assert "moment of prayer" in response.content.decode()
    assert not CulturalAdaptation.objects.exists()


def test_two_tabs_editing_an_adaptation_the_second_sees_both(agency):
    adaptation = make_adaptation(agency.client_a)
    one, two = signed_in(agency.therapist_a), signed_in(agency.therapist_a)
    url = f"/adaptations/{adaptation.pk}/edit/"
    assert one.post(url, form(based_on=1, what="First tab")).status_code == 302
    response = two.post(url, form(based_on=1, what="Second tab"))
    body = response.content.decode()
    assert response.status_code == 409
    assert "First tab" in body and "Second tab" in body
    adaptation.refresh_from_db()
    assert adaptation.what == "First tab" and adaptation.row_version == 2


def test_stopping_an_adaptation_keeps_it_in_the_list(agency):
    adaptation = make_adaptation(agency.client_a)
    services.adaptation_update(
        actor=Actor(user=agency.therapist_a),
        adaptation=adaptation,
        based_on=1,
        area="language",
        what="Sessions in Spanish",
        why="",
        started_on=date(2026, 3, 1),
        stopped_on=date(2026, 6, 1),
    )
    body = signed_in(agency.therapist_a).get(f"/clients/{agency.client_a.pk}/adaptations/")
    assert "stopped" in body.content.decode()
    with pytest.raises(ValueError):
        services.adaptation_update(
            actor=Actor(user=agency.therapist_a),
            adaptation=adaptation,
            based_on=2,
            area="language",
            what="x",
            why="",
            started_on=date(2026, 3, 1),
            stopped_on=date(2026, 1, 1),
        )


def test_the_therapist_records_what_the_client_said_marked_as_such(agency):
    adaptation = make_adaptation(agency.client_a)
    http = signed_in(agency.therapist_a)
    url = f"/adaptations/{adaptation.pk}/feedback/"
    assert "Record how it fits" in http.post(url, {"fit": "", "comment": ""}).content.decode()
    assert http.post(url, {"fit": "partly", "comment": "Some words in English"}).status_code == 302
    feedback = AdaptationFeedback.objects.get()
    assert feedback.recorded_by == agency.therapist_a and not feedback.from_client_link
    page = http.get(f"/clients/{agency.client_a.pk}/adaptations/").content.decode()
    assert "recorded by Ana Therapist" in page


def test_feedback_has_exactly_one_source(agency):
    adaptation = make_adaptation(agency.client_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        AdaptationFeedback.objects.create(adaptation=adaptation, fit="fits")


def test_another_therapists_adaptation_is_not_found(agency):
    adaptation = make_adaptation(agency.client_b)
    http = signed_in(agency.therapist_a)
    assert http.get(f"/adaptations/{adaptation.pk}/edit/").status_code == 404
    assert http.post(f"/adaptations/{adaptation.pk}/feedback/", {"fit": "fits"}).status_code == 404
    assert not AdaptationFeedback.objects.exists()
