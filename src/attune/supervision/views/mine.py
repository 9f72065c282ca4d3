"""A therapist's own supervision: their supervisors, meetings, growth plan and feedback."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from attune.access.actor import StaffActor
from attune.supervision import queries


@login_required
def mine(request):
    if not request.user.is_therapist:
        raise Http404
    return render(
        request,
        "supervision/mine.html",
        {
            "pairs": list(queries.pairs_of_supervisee(request.user)),
            "feedback": queries.feedback_to_give(actor=StaffActor.from_request(request)),
        },
    )
