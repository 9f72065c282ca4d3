"""Staff pages of cultural adaptations and the client's feedback on them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attune.access.actor import StaffActor
from attune.care import queries, services
from attune.care.forms.adaptations import AdaptationForm, TherapistFeedbackForm
from attune.clients import queries as client_queries


def _clinician(request) -> None:
    if not (request.user.is_therapist or request.user.is_supervisor):
        raise Http404


@login_required
def adaptation_list(request, client_id: int):
    _clinician(request)
    client, adaptations = queries.client_adaptations(
        actor=StaffActor.from_request(request), client_id=client_id
    )
    return render(
        request,
        "care/adaptation_list.html",
        {
            "client": client,
            "adaptations": adaptations,
            "can_send": request.user.has_perm("care.send_plan_link", client),
        },
    )


@login_required
def adaptation_new(request, client_id: int):
    _clinician(request)
    actor = StaffActor.from_request(request)
    client = client_queries.client_record(actor=actor, client_id=client_id, section="adaptations")
    if not request.user.has_perm("care.change_adaptations", client):
        raise Http404
    form = AdaptationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "based_on"}
        services.adaptation_create(actor=actor, client=client, **fields)
        messages.success(request, "Adaptation recorded.")
        return redirect("care:adaptation_list", client_id=client.pk)
    return render(
        request, "care/adaptation_form.html", {"client": client, "form": form, "creating": True}
    )


@login_required
def adaptation_edit(request, adaptation_id: int):
    _clinician(request)
    actor = StaffActor.from_request(request)
    adaptation = queries.adaptation_for_action(actor=actor, adaptation_id=adaptation_id)
    client = adaptation.client
    if request.method != "POST":
        initial = {
            "based_on": adaptation.row_version,
            **{
                name: getattr(adaptation, name)
                for name in ("area", "what", "why", "started_on", "stopped_on")
            },
        }
        form = AdaptationForm(initial=initial)
        return render(
            request,
            "care/adaptation_form.html",
            {"client": client, "form": form, "adaptation": adaptation},
        )
    form = AdaptationForm(request.POST)
    conflict = None
    if form.is_valid():
        fields = dict(form.cleaned_data)
        based_on = fields.pop("based_on") or 0
        try:
            services.adaptation_update(
                actor=actor, adaptation=adaptation, based_on=based_on, **fields
            )
        except services.AdaptationVersionConflict as error:
            conflict = error.current
            data = request.POST.copy()
            data["based_on"] = conflict.row_version
            form = AdaptationForm(data)
        else:
            messages.success(request, "Adaptation saved.")
            return redirect("care:adaptation_list", client_id=client.pk)
    return render(
        request,
        "care/adaptation_form.html",
        {"client": client, "form": form, "adaptation": adaptation, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
def adaptation_feedback(request, adaptation_id: int):
    """Record what the client said about an adaptation, marked as recorded by the therapist."""
    _clinician(request)
    actor = StaffActor.from_request(request)
    adaptation = queries.adaptation_for_action(actor=actor, adaptation_id=adaptation_id)
    form = TherapistFeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.adaptation_feedback_record(actor=actor, adaptation=adaptation, **form.cleaned_data)
        messages.success(request, "Recorded as what the client told you.")
        return redirect("care:adaptation_list", client_id=adaptation.client_id)
    return render(
        request,
        "care/adaptation_feedback.html",
        {"client": adaptation.client, "adaptation": adaptation, "form": form},
    )


@login_required
@require_POST
def adaptation_link(request, client_id: int):
    """Issue the client a private link to say how their current adaptations fit them."""
    actor = StaffActor.from_request(request)
    if not request.user.is_therapist:
        raise Http404
    client = client_queries.client_record(actor=actor, client_id=client_id, section="adaptations")
    if not request.user.has_perm("care.send_plan_link", client):
        raise Http404
    issued = services.adaptation_feedback_link_issue(actor=actor, client=client)
    url = request.build_absolute_uri(f"/c/{issued.token}/")
    return render(
        request,
        "care/plan_link.html",
        {"client": client, "link": issued.link, "url": url, "purpose": "adaptation_feedback"},
    )
