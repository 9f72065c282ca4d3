"""Staff pages about clients: the caseload, a client's overview, billing, links, break-glass."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attune.access.actor import Actor
from attune.clients import queries, services
from attune.clients.forms import (
    LANGUAGE_SUGGESTIONS,
    PRONOUN_SUGGESTIONS,
    BreakGlassForm,
    ClientForm,
)
from attune.clients.services import CLIENT_FIELDS


def _form_context(form) -> dict:
    return {
        "form": form,
        "pronoun_suggestions": PRONOUN_SUGGESTIONS,
        "language_suggestions": LANGUAGE_SUGGESTIONS,
    }


@login_required
def caseload(request):
    if not request.user.has_perm("clients.view_caseload"):
        raise Http404
    rows = queries.caseload(therapist=request.user, actor=Actor.from_request(request))
    return render(request, "clients/caseload.html", {"clients": rows})


@login_required
def client_new(request):
    if not request.user.has_perm("clients.view_caseload"):
        raise Http404
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = services.client_create(
            actor=Actor.from_request(request), therapist=request.user, **form.cleaned_data
        )
        messages.success(request, f"{client.chosen_name} is on your caseload.")
        return redirect("clients:client_detail", client_id=client.pk)
    return render(request, "clients/client_form.html", {**_form_context(form), "creating": True})


@login_required
def client_detail(request, client_id: int):
    if not (request.user.is_therapist or request.user.is_supervisor):
        raise Http404
    client, full = queries.client_overview(actor=Actor.from_request(request), client_id=client_id)
    return render(request, "clients/client_detail.html", {"client": client, "full": full})


@login_required
def client_edit(request, client_id: int):
    actor = Actor.from_request(request)
    if not request.user.is_therapist and not request.user.is_supervisor:
        raise Http404
    client = queries.client_record(actor=actor, client_id=client_id, section="edit")
    initial = {name: getattr(client, name) for name in CLIENT_FIELDS}
    form = ClientForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = services.client_update(actor=actor, client=client, **form.cleaned_data)
        messages.success(request, "Saved." if changed else "Nothing changed.")
        return redirect("clients:client_detail", client_id=client.pk)
    return render(request, "clients/client_form.html", {**_form_context(form), "client": client})


@login_required
def client_billing(request, client_id: int):
    if not request.user.is_therapist and not request.user.is_supervisor:
        raise Http404
    client = queries.client_record(
        actor=Actor.from_request(request), client_id=client_id, section="legal_name"
    )
    return render(request, "clients/client_billing.html", {"client": client})


@login_required
@require_POST
def client_link_new(request, client_id: int):
    actor = Actor.from_request(request)
    if not request.user.is_therapist:
        raise Http404
    client = queries.client_record(actor=actor, client_id=client_id, section="links")
    if not request.user.has_perm("clients.issue_link", client):
        raise Http404
    issued = services.link_issue(actor=actor, client=client)
    url = request.build_absolute_uri(f"/c/{issued.token}/")
    return render(
        request, "clients/link_issued.html", {"client": client, "link": issued.link, "url": url}
    )


@login_required
def break_glass(request):
    if not request.user.has_perm("clients.break_glass"):
        raise Http404
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = queries.client_by_case_code(form.cleaned_data["case_code"])
        if client is None:
            form.add_error("case_code", "No client has this case code. Check it and try again.")
        else:
            services.break_glass_open(
                actor=Actor.from_request(request),
                client=client,
                reason=form.cleaned_data["reason"],
            )
            messages.warning(
                request, "Emergency access is open for a limited time and is flagged for review."
            )
            return redirect("clients:client_detail", client_id=client.pk)
    return render(request, "clients/break_glass.html", {"form": form})
