"""Staff pages of the co-created treatment plan: the plan, writing it, its history, links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attune.access.actor import StaffActor
from attune.care import queries, services
from attune.care.forms.plans import ClientViewForm, PlanForm, PlanLinkForm
from attune.clients import queries as client_queries


def _clinician(request) -> None:
    if not (request.user.is_therapist or request.user.is_supervisor):
        raise Http404


@login_required
def plan_detail(request, client_id: int):
    _clinician(request)
    page = queries.client_plan(actor=StaffActor.from_request(request), client_id=client_id)
    context = {"page": page, "client": page.client, "plan": page.plan}
    if page.full:
        assert page.view_choice is not None  # a full page carries the client's view choice
        context.update(
            link_form=PlanLinkForm(),
            view_form=ClientViewForm(initial={"mode": page.view_choice.mode}),
            can_send=request.user.has_perm("care.send_plan_link", page.client),
        )
    return render(request, "care/plan_detail.html", context)


def _edit_page(request, client, plan, form, *, conflict=None, status=200):
    return render(
        request,
        "care/plan_edit.html",
        {"client": client, "plan": plan, "form": form, "conflict": conflict},
        status=status,
    )


@login_required
def plan_edit(request, client_id: int):
    """Write the plan with the client; every save is a new version."""
    _clinician(request)
    actor = StaffActor.from_request(request)
    client, plan = queries.plan_for_editing(actor=actor, client_id=client_id)
    goals = plan.goals if plan else []
    if request.method != "POST":
        initial = {
            "based_on": plan.version if plan else None,
            "review_on": plan.review_on if plan else None,
        }
        return _edit_page(request, client, plan, PlanForm(initial=initial, goals=goals))
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, client, plan, form)
    try:
        saved = services.plan_save(
            actor=actor,
            client=client,
            based_on=form.cleaned_data["based_on"],
            goals=form.cleaned_data["goals"],
            review_on=form.cleaned_data["review_on"],
        )
    except services.PlanVersionConflict as conflict:
        # Keep every word typed; the next save starts from the version saved meanwhile.
        data = request.POST.copy()
        data["based_on"] = conflict.current.version if conflict.current else ""
        return _edit_page(
            request, client, conflict.current, PlanForm(data), conflict=conflict.current, status=409
        )
    assert saved is not None  # written by staff, not through a link: always saved
    messages.success(request, f"Saved as version {saved.version}. Earlier versions are kept.")
    return redirect("care:plan_detail", client_id=client.pk)


@login_required
def plan_history(request, client_id: int):
    _clinician(request)
    client, versions, answers = queries.plan_history(
        actor=StaffActor.from_request(request), client_id=client_id
    )
    rows = [(version, answers.get(version.pk, [])) for version in versions]
    return render(request, "care/plan_history.html", {"client": client, "rows": rows})


@login_required
@require_POST
def plan_link(request, client_id: int):
    """Issue the client a private link to write their goals, agree, or see their plan."""
    actor = StaffActor.from_request(request)
    if not request.user.is_therapist:
        raise Http404
    client = client_queries.client_record(actor=actor, client_id=client_id, section="plan")
    if not request.user.has_perm("care.send_plan_link", client):
        raise Http404
    form = PlanLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "No link was made: choose what the link is for.")
        return redirect("care:plan_detail", client_id=client.pk)
    try:
        issued = services.plan_link_issue(
            actor=actor, client=client, purpose=form.cleaned_data["purpose"]
        )
    except ValueError:
        messages.error(
            request,
            "No link was made: the client has not chosen to see their plan through a link. "
            "Change that below first, if they want it.",
        )
        return redirect("care:plan_detail", client_id=client.pk)
    url = request.build_absolute_uri(f"/c/{issued.token}/")
    return render(
        request,
        "care/plan_link.html",
        {
            "client": client,
            "link": issued.link,
            "url": url,
            "purpose": form.cleaned_data["purpose"],
        },
    )


@login_required
@require_POST
def client_view_set(request, client_id: int):
    """Record what the client chose to see of their plan through a link."""
    actor = StaffActor.from_request(request)
    if not request.user.is_therapist:
        raise Http404
    client = client_queries.client_record(actor=actor, client_id=client_id, section="plan")
    if not request.user.has_perm("care.set_client_view", client):
        raise Http404
    form = ClientViewForm(request.POST)
    if not form.is_valid():
        errors = [error for errors in form.errors.values() for error in errors]
        messages.error(request, "Nothing changed: " + " ".join(str(error) for error in errors))
        return redirect("care:plan_detail", client_id=client.pk)
    choice = services.client_view_set(actor=actor, client=client, **form.cleaned_data)
    messages.success(request, f"Saved: {choice.get_mode_display()}.")
    return redirect("care:plan_detail", client_id=client.pk)
