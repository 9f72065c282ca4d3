"""Feedback on a supervisor's humility: the supervisee's form, the supervisor's released
results, and the leader's agency-wide aggregate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from attune.access.actor import Actor, StaffActor
from attune.supervision import humility, queries, services
from attune.supervision.forms.feedback import FeedbackForm


@login_required
def feedback_form(request, supervisor_id: int):
    supervisor = queries.feedback_target(
        actor=StaffActor.from_request(request), supervisor_id=supervisor_id
    )
    period = humility.Period.containing(timezone.localdate())
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(
                actor=StaffActor.from_request(request),
                supervisor=supervisor,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
            )
        except services.FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Thank you. Your supervisor will never see your name with your feedback.",
            )
            return redirect("supervision:mine")
    return render(
        request,
        "supervision/feedback_form.html",
        {
            "supervisor": supervisor,
            "form": form,
            "period": period,
            "validated": humility.VALIDATED,
            "minimum": humility.MIN_RESPONDENTS,
        },
    )


@login_required
def feedback_results(request):
    if not request.user.has_perm("supervision.view_feedback_results"):
        raise Http404
    releases = services.feedback_release_due(
        actor=Actor.from_request(request), supervisor=request.user, viewing=True
    )
    return render(
        request,
        "supervision/feedback_results.html",
        {
            "releases": [(humility.Period.parse(r.period), r) for r in releases],
            "current": humility.Period.containing(timezone.localdate()),
            "minimum": humility.MIN_RESPONDENTS,
            "scale": humility.SCALE_LABELS,
        },
    )


@login_required
def agency_feedback(request):
    if not request.user.has_perm("supervision.view_agency_feedback"):
        raise Http404
    return render(
        request,
        "supervision/agency_feedback.html",
        {
            "periods": queries.agency_feedback(actor=Actor.from_request(request)),
            "minimum": humility.MIN_RESPONDENTS,
        },
    )
