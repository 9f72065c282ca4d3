"""StaffActor: the actor a staff-only query or service takes, whose ``user`` is never None.

A link holder, the system or nobody asking for one gets ``NotStaff``, which is a 404: the same
answer a staff-only page gives anyone it is not for.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from attune.access.actor import Actor, NotStaff, StaffActor
from attune.care import queries as care_queries


def _request(user):
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")
    request.user = user
    request.request_id = "req-1"
    return request


def test_not_staff_is_a_404():
    assert issubclass(NotStaff, Http404)


def test_a_staff_members_actor_becomes_a_staff_actor_with_everything_it_carried(agency):
    actor = Actor(user=agency.therapist_a, ip="198.51.100.7", request_id="req-1")
    staff = actor.as_staff()
    assert isinstance(staff, StaffActor)
    assert (staff.user, staff.link_id, staff.ip, staff.request_id) == (
        agency.therapist_a,
        None,
        "198.51.100.7",
        "req-1",
    )
    assert staff.as_staff() is staff


@pytest.mark.parametrize(
    "actor",
    [Actor(link_id=7, ip="198.51.100.7"), Actor.system(), Actor()],
    ids=["link holder", "system", "nobody"],
)
def test_anyone_else_is_refused_with_a_404(actor):
    with pytest.raises(NotStaff):
        actor.as_staff()


def test_a_staff_actor_cannot_be_built_without_a_staff_member():
    with pytest.raises(NotStaff):
        StaffActor(user=None)  # type: ignore[arg-type]  # what the type checker refuses


def test_system_work_is_never_a_staff_actor():
    assert type(StaffActor.system()) is Actor


def test_from_request_gives_the_signed_in_staff_member(agency):
    staff = StaffActor.from_request(_request(agency.leader))
    assert isinstance(staff, StaffActor)
    assert staff.user == agency.leader
    assert staff.ip == "198.51.100.7"
    assert staff.request_id == "req-1"


def test_from_request_refuses_a_visitor_who_is_not_signed_in(db):
    with pytest.raises(NotStaff):
        StaffActor.from_request(_request(AnonymousUser()))


def test_from_request_refuses_a_request_with_no_user_at_all():
    request = RequestFactory().get("/")
    with pytest.raises(NotStaff):
        StaffActor.from_request(request)


def test_the_plain_actor_of_a_visitor_is_still_built(db):
    # Pages open to everyone (sign-in, client links) keep using Actor.from_request.
    actor = Actor.from_request(_request(AnonymousUser()), link_id=3)
    assert type(actor) is Actor
    assert actor.user is None and actor.link_id == 3


def test_a_link_holder_reaching_a_staff_only_query_gets_a_404(agency):
    # Before the split, such a call failed on ``None.has_perm`` (a server error); a staff-only
    # query now takes a StaffActor, and a link holder cannot become one.
    link_holder = Actor(link_id=1, ip="198.51.100.7")
    with pytest.raises(Http404):
        care_queries.client_sessions(actor=link_holder.as_staff(), client_id=agency.client_a.pk)


def test_a_staff_only_page_still_answers_a_signed_in_therapist(agency, client):
    client.force_login(agency.therapist_a)
    response = client.get(f"/clients/{agency.client_a.pk}/sessions/")
    assert response.status_code == 200


def test_a_staff_only_page_still_sends_a_visitor_to_sign_in(agency, client):
    response = client.get(f"/clients/{agency.client_a.pk}/sessions/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:login"))
