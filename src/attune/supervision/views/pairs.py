"""The leader's page of supervision pairs: who supervises whom, from when, until when."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from attune.access.actor import Actor
from attune.relationships.models import SupervisionPair
from attune.supervision import queries, services
from attune.supervision.forms.pairs import PairEndForm, PairForm


def _require(request) -> None:
    if not request.user.has_perm("supervision.manage_pairs"):
        raise Http404


def _page(request, form=None, status=200):
    return render(
        request,
        "supervision/pairs.html",
        {
            "pairs": queries.pairs_for_leader(actor=Actor.from_request(request)),
            "form": form or PairForm(),
            "end_form": PairEndForm(),
            "in_force": queries.in_force,
        },
        status=status,
    )


@login_required
def pair_list(request):
    _require(request)
    return _page(request)


@login_required
@require_POST
def pair_new(request):
    _require(request)
    form = PairForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    try:
        services.pair_create(actor=Actor.from_request(request), **form.cleaned_data)
    except services.PairError as error:
        form.add_error(None, str(error))
        return _page(request, form)
    messages.success(request, "Supervision pair added.")
    return redirect("supervision:pairs")


@login_required
@require_POST
def pair_end(request, pair_id: int):
    _require(request)
    pair = get_object_or_404(SupervisionPair, pk=pair_id)
    form = PairEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing changed: enter the last day of supervision.")
        return redirect("supervision:pairs")
    try:
        services.pair_end(
            actor=Actor.from_request(request), pair=pair, ends_on=form.cleaned_data["ends_on"]
        )
        messages.success(request, f"Supervision of {pair.supervisee} by {pair.supervisor} ends.")
    except services.PairError as error:
        messages.error(request, f"Nothing changed: {error}")
    return redirect("supervision:pairs")
