"""Pages for supervisors: their supervisees and each one's caseload summary."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from attune.access.models import Role, StaffUser
from attune.clients import queries as client_queries
from attune.supervision.queries import supervisees_with_counts


@login_required
def supervisees(request):
    if not request.user.has_perm("supervision.view_supervisees"):
        raise Http404
    rows = supervisees_with_counts(request.user)
    return render(request, "supervision/supervisees.html", {"supervisees": rows})


@login_required
def supervisee_caseload(request, therapist_id: int):
    therapist = StaffUser.objects.filter(pk=therapist_id, role=Role.THERAPIST).first()
    if not request.user.has_perm("supervision.view_supervisee_caseload", therapist):
        raise Http404
    caseload = client_queries.caseload_summary(therapist=therapist, request=request)
    return render(
        request,
        "supervision/supervisee_caseload.html",
        {"therapist": therapist, "clients": caseload},
    )
