"""A supervisee's growth plan, written by them and their supervisor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attune.access.actor import StaffActor
from attune.supervision import queries, services
from attune.supervision.forms.growth import EntryForm, GoalChangeForm, GoalForm


def _plan_page(request, therapist, goal_form=None, entry_form=None, entry_goal_id=None):
    return render(
        request,
        "supervision/growth_plan.html",
        {
            "therapist": therapist,
            "goals": queries.growth_plan(therapist),
            "goal_form": goal_form or GoalForm(),
            "entry_form": entry_form,
            "entry_goal_id": entry_goal_id,
            "is_self": therapist.pk == request.user.pk,
        },
    )


@login_required
def growth_plan(request, therapist_id: int):
    therapist = queries.plan_owner(
        actor=StaffActor.from_request(request), therapist_id=therapist_id
    )
    return _plan_page(request, therapist)


@login_required
@require_POST
def goal_add(request, therapist_id: int):
    actor = StaffActor.from_request(request)
    therapist = queries.plan_owner(
        actor=actor, therapist_id=therapist_id, perm="supervision.write_growth_plan"
    )
    form = GoalForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, therapist, goal_form=form)
    try:
        services.goal_add(actor=actor, supervisee=therapist, **form.cleaned_data)
    except services.GrowthError as error:
        form.add_error(None, str(error))
        return _plan_page(request, therapist, goal_form=form)
    messages.success(request, "Goal added.")
    return redirect("supervision:growth_plan", therapist_id=therapist.pk)


@login_required
def goal_edit(request, goal_id: int):
    actor = StaffActor.from_request(request)
    goal = queries.goal_for(actor=actor, goal_id=goal_id)
    if request.method == "POST":
        form = GoalChangeForm(request.POST)
        if form.is_valid():
            try:
                services.goal_change(actor=actor, goal=goal, **form.cleaned_data)
            except (services.GrowthError, services.StaleEditError) as error:
                # Bad input, or a save from another tab since this page was opened.
                form.add_error(None, str(error))
            else:
                messages.success(request, "Goal saved; the change is in its history.")
                return redirect("supervision:growth_plan", therapist_id=goal.supervisee_id)
        goal.refresh_from_db()
    else:
        form = GoalChangeForm(
            initial={
                "kind": goal.kind,
                "title": goal.title,
                "description": goal.description,
                "target_on": goal.target_on,
                "status": goal.status,
                "version": goal.version,
            }
        )
    return render(request, "supervision/goal_edit.html", {"goal": goal, "form": form})


@login_required
@require_POST
def entry_add(request, goal_id: int):
    actor = StaffActor.from_request(request)
    goal = queries.goal_for(actor=actor, goal_id=goal_id)
    form = EntryForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, goal.supervisee, entry_form=form, entry_goal_id=goal.pk)
    services.entry_add(actor=actor, goal=goal, **form.cleaned_data)
    messages.success(request, "Added to the goal's history.")
    return redirect("supervision:growth_plan", therapist_id=goal.supervisee_id)
