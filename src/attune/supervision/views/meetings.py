"""Meetings of a supervision pair: the list, planning one, and recording it afterwards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attune.access.actor import StaffActor
from attune.supervision import queries, services
from attune.supervision.forms.meetings import ActionCloseForm, MeetingPlanForm, MeetingRecordForm


def _list_page(request, pair, form=None):
    return render(
        request,
        "supervision/meeting_list.html",
        {
            "pair": pair,
            "meetings": queries.meetings_of(pair),
            "form": form or MeetingPlanForm(),
            "can_plan": request.user.has_perm("supervision.plan_meeting", pair),
        },
    )


@login_required
def meeting_list(request, pair_id: int):
    pair = queries.pair_for(actor=StaffActor.from_request(request), pair_id=pair_id)
    return _list_page(request, pair)


@login_required
@require_POST
def meeting_plan(request, pair_id: int):
    actor = StaffActor.from_request(request)
    pair = queries.pair_for(actor=actor, pair_id=pair_id, perm="supervision.plan_meeting")
    form = MeetingPlanForm(request.POST)
    if not form.is_valid():
        return _list_page(request, pair, form)
    try:
        meeting = services.meeting_plan(
            actor=actor, pair=pair, meets_on=form.cleaned_data["meets_on"]
        )
    except services.MeetingError as error:
        form.add_error("meets_on", str(error))
        return _list_page(request, pair, form)
    messages.success(request, "Meeting planned.")
    return redirect("supervision:meeting_detail", meeting_id=meeting.pk)


def _detail_page(request, meeting, form=None):
    can_record = request.user.has_perm("supervision.record_meeting", meeting)
    if form is None and can_record:
        form = MeetingRecordForm(
            initial={"status": meeting.status, "notes": meeting.notes, "version": meeting.version}
        )
    return render(
        request,
        "supervision/meeting_detail.html",
        {
            "meeting": meeting,
            "pair": meeting.pair,
            "actions": queries.meeting_actions(meeting),
            "form": form,
            "can_record": can_record,
            "is_supervisee": meeting.pair.supervisee_id == request.user.pk,
            "to_bring": queries.reflections_to_bring(
                actor=StaffActor.from_request(request), meeting=meeting
            ),
            "close_form": ActionCloseForm(),
        },
    )


@login_required
def meeting_detail(request, meeting_id: int):
    meeting = queries.meeting_for(actor=StaffActor.from_request(request), meeting_id=meeting_id)
    return _detail_page(request, meeting)


@login_required
@require_POST
def meeting_record(request, meeting_id: int):
    actor = StaffActor.from_request(request)
    meeting = queries.meeting_for(
        actor=actor, meeting_id=meeting_id, perm="supervision.record_meeting"
    )
    form = MeetingRecordForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, meeting, form)
    try:
        services.meeting_record(
            actor=actor,
            meeting=meeting,
            status=form.cleaned_data["status"],
            notes=form.cleaned_data["notes"],
            version=form.cleaned_data["version"],
            actions=form.cleaned_data["actions"],
        )
    except services.MeetingError as error:
        form.add_error(None, str(error))
        meeting.refresh_from_db()
        return _detail_page(request, meeting, form)
    messages.success(request, "Meeting saved.")
    return redirect("supervision:meeting_detail", meeting_id=meeting.pk)


@login_required
@require_POST
def action_close(request, action_id: int):
    actor = StaffActor.from_request(request)
    action = queries.action_for(actor=actor, action_id=action_id)
    form = ActionCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing changed: choose done or no longer needed.")
    else:
        try:
            services.action_close(actor=actor, action=action, status=form.cleaned_data["status"])
            messages.success(request, "Action closed.")
        except services.MeetingError as error:
            messages.error(request, f"Nothing changed: {error}")
    return redirect("supervision:meeting_detail", meeting_id=action.meeting_id)
