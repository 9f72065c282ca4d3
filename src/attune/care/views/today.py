"""The therapist's home page, "Today": each item one click from what to do about it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from attune.access.actor import StaffActor
from attune.care import queries
from attune.measures.views import safety_protocol


@login_required
def today(request):
    if not request.user.has_perm("care.view_today"):
        raise Http404
    page = queries.today(actor=StaffActor.from_request(request))
    return render(request, "care/today.html", {"page": page, "protocol": safety_protocol()})
