"""The leader's agency pages: the overview, staff accounts and the access trail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from attune.access import services
from attune.access.actor import Actor
from attune.access.models import StaffUser
from attune.agency import queries
from attune.agency.forms import StaffForm
from attune.clients import queries as client_queries


@login_required
def overview(request):
    if not request.user.has_perm("agency.view_aggregates"):
        raise Http404
    return render(
        request,
        "agency/overview.html",
        {
            "totals": client_queries.agency_totals(),
            "languages": client_queries.language_counts(),
            "staff_counts": queries.staff_counts(),
        },
    )


@login_required
def staff_list(request):
    if not request.user.has_perm("agency.manage_staff"):
        raise Http404
    return render(request, "agency/staff_list.html", {"staff": queries.staff_directory()})


@login_required
def staff_new(request):
    if not request.user.has_perm("agency.manage_staff"):
        raise Http404
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.staff_create(actor=Actor.from_request(request), **form.cleaned_data)
        messages.success(request, f"{form.cleaned_data['display_name']} can now sign in.")
        return redirect("agency:staff_list")
    return render(request, "agency/staff_form.html", {"form": form})


@login_required
@require_POST
def staff_deactivate(request, staff_id: int):
    if not request.user.has_perm("agency.manage_staff"):
        raise Http404
    staff = get_object_or_404(StaffUser, pk=staff_id)
    if staff.pk == request.user.pk:
        messages.error(request, "You cannot deactivate your own account.")
    else:
        services.staff_deactivate(actor=Actor.from_request(request), staff=staff)
        messages.success(request, f"{staff} is deactivated and signed out everywhere.")
    return redirect("agency:staff_list")


@login_required
def trail_list(request):
    if not request.user.has_perm("agency.view_trail"):
        raise Http404
    case_code = request.GET.get("client", "").strip()
    username = request.GET.get("staff", "").strip()
    refused = request.GET.get("refused") == "1"
    events, looked_up = queries.trail_entries(
        case_code=case_code, username=username, refused=refused
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    queries.attach_case_codes(page.object_list)
    return render(
        request,
        "agency/trail_list.html",
        {
            "page": page,
            "case_code": case_code,
            "username": username,
            "refused": refused,
            "refused_by_staff": queries.refused_by_staff() if refused and not username else [],
            "looked_up": looked_up,
            "staff_members": queries.staff_directory(),
        },
    )
