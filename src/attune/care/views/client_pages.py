"""Pages a client opens through a private link: write their goals, agree to their plan, see it,
and say how the adaptations of their therapy fit them.  Mobile-first, in their language."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from attune.access.actor import Actor
from attune.care import queries, services
from attune.care.forms.adaptations import ClientAdaptationFeedbackForm
from attune.care.forms.plans import AgreementForm, ClientGoalsForm
from attune.care.services.adaptations import ADAPTATION_FEEDBACK
from attune.care.services.plans import CLIENT_VIEW, PLAN_AGREEMENT, PLAN_GOALS
from attune.clients import link_purposes


def _already_answered(request, client):
    return render(request, "care/client_already_answered.html", {"client": client}, status=409)


@link_purposes.register(PLAN_GOALS, label="Write or change the goals of your plan")
def plan_goals_page(request, link):
    actor = Actor.from_request(request, link_id=link.pk)
    client, plan = queries.plan_for_link(actor=actor, link=link)
    goals = [
        {"words": g["words"], "signs": g.get("signs", "")} for g in (plan.goals if plan else [])
    ]
    changed_meanwhile = None
    if request.method == "POST":
        form = ClientGoalsForm(request.POST)
        if form.is_valid():
            try:
                saved = services.plan_save(
                    actor=actor,
                    client=client,
                    based_on=form.cleaned_data["based_on"],
                    goals=form.cleaned_data["goals"],
                    review_on=None,
                    via_link=link,
                )
            except services.PlanVersionConflict as conflict:
                changed_meanwhile = conflict.current
                data = request.POST.copy()
                data["based_on"] = changed_meanwhile.version if changed_meanwhile else ""
                form = ClientGoalsForm(data)
            else:
                if saved is None:
                    return _already_answered(request, client)
                return redirect("clients:client_home")
    else:
        form = ClientGoalsForm(initial={"based_on": plan.version if plan else None}, goals=goals)
    return render(
        request,
        "care/client_goals.html",
        {"client": client, "plan": plan, "form": form, "changed_meanwhile": changed_meanwhile},
    )


@link_purposes.register(PLAN_AGREEMENT, label="Say whether your plan reflects what you want")
def plan_agreement_page(request, link):
    actor = Actor.from_request(request, link_id=link.pk)
    client, plan = queries.plan_for_link(actor=actor, link=link)
    if plan is None:
        return render(request, "care/client_no_plan.html", {"client": client})
    changed_meanwhile = False
    if request.method == "POST":
        form = AgreementForm(request.POST)
        if form.is_valid():
            try:
                agreement = services.plan_agreement_submit(
                    actor=actor,
                    link=link,
                    plan_version=form.cleaned_data["plan_version"],
                    answer=form.cleaned_data["answer"],
                    comment=form.cleaned_data["comment"],
                )
            except services.PlanVersionConflict:
                changed_meanwhile = True
                data = request.POST.copy()
                data["plan_version"] = plan.version
                form = AgreementForm(data)
            else:
                if agreement is None:
                    return _already_answered(request, client)
                return redirect("clients:client_home")
    else:
        form = AgreementForm(initial={"plan_version": plan.version})
    return render(
        request,
        "care/client_agreement.html",
        {"client": client, "plan": plan, "form": form, "changed_meanwhile": changed_meanwhile},
    )


@link_purposes.register(CLIENT_VIEW, label="See your plan", single_use=False)
def client_view_page(request, link):
    actor = Actor.from_request(request, link_id=link.pk)
    view = queries.client_own_view(actor=actor, link=link)
    if view is None:
        return render(request, "care/client_view_off.html", {"client": link.client})
    return render(request, "care/client_view.html", {"client": link.client, "view": view})


@link_purposes.register(
    ADAPTATION_FEEDBACK, label="Tell us how the ways we adapted therapy fit you"
)
def adaptation_feedback_page(request, link):
    actor = Actor.from_request(request, link_id=link.pk)
    client, adaptations = queries.adaptations_for_link(actor=actor, link=link)
    form = ClientAdaptationFeedbackForm(
        request.POST if request.method == "POST" else None, adaptations=adaptations
    )
    if request.method == "POST" and adaptations and form.is_valid():
        stored = services.adaptation_feedback_submit(actor=actor, link=link, answers=form.answers())
        if stored is None:
            return _already_answered(request, client)
        return redirect("clients:client_home")
    return render(
        request,
        "care/client_adaptations.html",
        {"client": client, "form": form, "adaptations": adaptations, "title": TITLE},
    )


TITLE = _("How do these changes fit you?")
