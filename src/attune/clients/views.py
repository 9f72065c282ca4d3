"""Staff pages about clients: the caseload, a client's overview, billing, links, break-glass."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attune.access.actor import Actor, StaffActor
from attune.care import queries as care_queries
from attune.clients import link_purposes, queries, services
from attune.clients.client_pages import identity_suggestions
from attune.clients.fhir import patient_resource
from attune.clients.forms import (
    LANGUAGE_SUGGESTIONS,
    PRONOUN_SUGGESTIONS,
    BreakGlassForm,
    ClientForm,
)
from attune.clients.identity_display import author_of, formulation_rows, identity_rows
from attune.clients.identity_forms import CulturalFormulationForm, SelfIdentificationForm
from attune.clients.language_names import editable_name
from attune.clients.models import LinkPurpose
from attune.clients.queries import refused_client_id
from attune.clients.services import CLIENT_FIELDS
from attune.measures.queries import client_comments, open_signal_counts


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
    return render(
        request,
        "clients/caseload.html",
        {"clients": rows, "signal_counts": open_signal_counts(user=request.user)},
    )


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
        raise refused_client_id(StaffActor.from_request(request), client_id, section="overview")
    client, full = queries.client_overview(
        actor=StaffActor.from_request(request), client_id=client_id
    )
    context = {"client": client, "full": full}
    if full:
        formulation = queries.latest_formulation(client)
        context.update(
            identity_rows=identity_rows(client.latest_identity),
            identity=client.latest_identity,
            formulation=formulation,
            formulation_rows=formulation_rows(formulation),
            link_purposes=link_purposes_for_staff(),
        )
        context.update(
            care_queries.client_page_section(actor=StaffActor.from_request(request), client=client)
        )
        if client.therapist_id == request.user.pk:  # the client wrote them for their therapist
            context["checkin_comments"] = client_comments(client=client)
        context["sessions_glance"] = care_queries.sessions_glance(client)
    return render(request, "clients/client_detail.html", context)


def link_purposes_for_staff() -> list[tuple[str, str]]:
    return [(page.purpose, page.label) for page in link_purposes.PAGES.values()]


@login_required
def client_identity_edit(request, client_id: int):
    """Record the client's self-identification with them, in session."""
    actor = StaffActor.from_request(request)
    if not request.user.is_therapist:
        raise refused_client_id(actor, client_id, section="self_identification")
    client = queries.client_record(actor=actor, client_id=client_id, section="self_identification")
    initial = SelfIdentificationForm.initial_from(client, client.latest_identity)
    form = SelfIdentificationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        answers, declined = form.answers_and_declined()
        services.self_identification_record(
            actor=actor, client=client, answers=answers, declined=declined
        )
        messages.success(request, "Saved as a new version, written with the client.")
        return redirect("clients:client_detail", client_id=client.pk)
    return render(
        request,
        "clients/client_identity_edit.html",
        {"form": form, "client": client, **identity_suggestions()},
    )


@login_required
def client_formulation_edit(request, client_id: int):
    """Record the client's cultural formulation with them, in their words."""
    actor = StaffActor.from_request(request)
    if not request.user.is_therapist:
        raise refused_client_id(actor, client_id, section="cultural_formulation")
    client = queries.client_record(actor=actor, client_id=client_id, section="cultural_formulation")
    latest = queries.latest_formulation(client)
    form = CulturalFormulationForm(request.POST or None, initial=latest.answers if latest else {})
    if request.method == "POST" and form.is_valid():
        services.cultural_formulation_record(actor=actor, client=client, answers=form.answers())
        messages.success(request, "Saved as a new version. Earlier versions are kept.")
        return redirect("clients:client_detail", client_id=client.pk)
    return render(request, "clients/client_formulation_edit.html", {"form": form, "client": client})


@login_required
def client_history(request, client_id: int):
    """Every version of the self-identification and the formulation, with author and date."""
    if not (request.user.is_therapist or request.user.is_supervisor):
        raise refused_client_id(StaffActor.from_request(request), client_id, section="history")
    client = queries.client_record(
        actor=StaffActor.from_request(request), client_id=client_id, section="history"
    )
    identities, formulations = queries.versions(client)
    return render(
        request,
        "clients/client_history.html",
        {
            "client": client,
            "identities": [(v, author_of(v), identity_rows(v)) for v in identities],
            "formulations": [(v, author_of(v), formulation_rows(v)) for v in formulations],
        },
    )


@login_required
def client_fhir_patient(request, client_id: int):
    """Download the client's self-identification as a FHIR R4 Patient resource."""
    if not request.user.is_therapist:
        raise refused_client_id(StaffActor.from_request(request), client_id, section="fhir_export")
    client = queries.client_record(
        actor=StaffActor.from_request(request), client_id=client_id, section="fhir_export"
    )
    response = JsonResponse(patient_resource(client), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/fhir+json; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="patient-{client.case_code}.json"'
    return response


@login_required
def client_edit(request, client_id: int):
    actor = StaffActor.from_request(request)
    if not request.user.is_therapist and not request.user.is_supervisor:
        raise refused_client_id(StaffActor.from_request(request), client_id, section="edit")
    client = queries.client_record(actor=actor, client_id=client_id, section="edit")
    initial = {name: getattr(client, name) for name in CLIENT_FIELDS}
    initial["preferred_language"] = editable_name(client.preferred_language)
    form = ClientForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = services.client_update(actor=actor, client=client, **form.cleaned_data)
        messages.success(request, "Saved." if changed else "Nothing changed.")
        return redirect("clients:client_detail", client_id=client.pk)
    return render(request, "clients/client_form.html", {**_form_context(form), "client": client})


@login_required
def client_billing(request, client_id: int):
    if not request.user.is_therapist and not request.user.is_supervisor:
        raise refused_client_id(StaffActor.from_request(request), client_id, section="legal_name")
    client = queries.client_record(
        actor=StaffActor.from_request(request), client_id=client_id, section="legal_name"
    )
    return render(request, "clients/client_billing.html", {"client": client})


@login_required
@require_POST
def client_link_new(request, client_id: int):
    actor = StaffActor.from_request(request)
    if not request.user.is_therapist:
        raise Http404
    client = queries.client_record(actor=actor, client_id=client_id, section="links")
    if not request.user.has_perm("clients.issue_link", client):
        raise Http404
    purpose = request.POST.get("purpose", LinkPurpose.PROFILE)
    if link_purposes.page_for(purpose) is None:
        messages.error(request, "Choose what the link is for from the list.")
        return redirect("clients:client_detail", client_id=client.pk)
    issued = services.link_issue(actor=actor, client=client, purpose=purpose)
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
                actor=StaffActor.from_request(request),
                client=client,
                reason=form.cleaned_data["reason"],
            )
            messages.warning(
                request, "Emergency access is open for a limited time and is flagged for review."
            )
            return redirect("clients:client_detail", client_id=client.pk)
    return render(request, "clients/break_glass.html", {"form": form})
