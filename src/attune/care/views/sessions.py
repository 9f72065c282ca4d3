"""Staff pages of therapy sessions: a client's list, scheduling, and marking held."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from attune.access.actor import StaffActor
from attune.access.navigation import redirect_back, safe_next
from attune.care import queries, services
from attune.care.forms.sessions import CancelForm, HeldForm, ScheduleForm
from attune.care.models import SessionStatus
from attune.care.queries.plans import current_goals
from attune.clients.models import InterpreterNeed
from attune.clients.queries import refused_client_id
from attune.clients.templatetags.names import when
from attune.measures.models import CheckIn


def _list_page(request, client, sessions, schedule_form=None):
    plan_goals = current_goals(client)
    return render(
        request,
        "care/session_list.html",
        {
            "client": client,
            "sessions": sessions,
            "schedule_form": schedule_form or ScheduleForm(),
            "held_form": HeldForm(
                initial={"goals": "" if plan_goals else "\n".join(_last_goals(client))}
            ),
            "plan_goals": plan_goals,
            "cancel_form": CancelForm(),
            "asks_interpreter": client.interpreter_needed
            in (InterpreterNeed.YES, InterpreterNeed.NOT_SURE),
            "can_manage": request.user.has_perm("care.manage_sessions", client),
        },
    )


def _last_goals(client) -> list[str]:
    # The goals the client named last time are offered again; the therapist can change them.
    latest = CheckIn.objects.filter(client=client).exclude(goal_texts="").order_by("-sent_at")
    found = latest.only("goal_texts").first()
    return list(found.goal_texts) if found and found.goal_texts else []


@login_required
def session_list(request, client_id: int):
    if not request.user.is_therapist and not request.user.is_supervisor:
        raise refused_client_id(StaffActor.from_request(request), client_id, section="sessions")
    client, sessions = queries.client_sessions(
        actor=StaffActor.from_request(request), client_id=client_id
    )
    return _list_page(request, client, sessions)


@login_required
@require_POST
def session_schedule(request, client_id: int):
    actor = StaffActor.from_request(request)
    if not request.user.is_therapist:
        raise Http404
    client, sessions = queries.client_sessions(actor=actor, client_id=client_id)
    if not request.user.has_perm("care.manage_sessions", client):
        raise Http404
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _list_page(request, client, sessions, schedule_form=form)
    services.session_schedule(actor=actor, client=client, starts_at=form.cleaned_data["starts_at"])
    messages.success(request, "Session scheduled.")
    return redirect("care:session_list", client_id=client.pk)


@login_required
@require_POST
def session_held(request, session_id: int):
    actor = StaffActor.from_request(request)
    session = queries.session_for_action(actor=actor, session_id=session_id)
    form = HeldForm(request.POST)
    if not form.is_valid():
        problems = [
            error for field in ("goals", "interpreter") for error in form.errors.get(field, [])
        ]
        messages.error(request, "Nothing changed: " + " ".join(str(p) for p in problems))
        return redirect("care:session_list", client_id=session.client_id)
    try:
        held = services.session_mark_held(
            actor=actor,
            session=session,
            base_url=request.build_absolute_uri("/"),
            goal_texts=form.cleaned_data["goals"],
            interpreter=form.cleaned_data["interpreter"],
        )
    except services.SessionStateError as error:
        messages.error(request, f"Nothing changed: {error}.")
        return redirect("care:session_list", client_id=session.client_id)
    return render(request, "care/session_held.html", {"client": session.client, "held": held})


@login_required
@require_POST
def session_cancel(request, session_id: int):
    actor = StaffActor.from_request(request)
    session = queries.session_for_action(actor=actor, session_id=session_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing changed: say who cancelled the session.")
        return redirect("care:session_list", client_id=session.client_id)
    try:
        services.session_cancel(
            actor=actor, session=session, cancelled_by=form.cleaned_data["cancelled_by"]
        )
        messages.success(request, "Session cancelled.")
    except services.SessionStateError as error:
        messages.error(request, f"Nothing changed: {error}.")
    return redirect("care:session_list", client_id=session.client_id)


@login_required
@require_http_methods(["GET", "POST"])
def session_no_show(request, session_id: int):
    """Ask to confirm that the client did not come, then record it.

    A missed session counts in the agency's no-show figures, so one tap is never enough: a GET,
    or a POST without ``confirm=yes``, shows the question; only the confirmed POST records it.
    """
    actor = StaffActor.from_request(request)
    confirmed = request.method == "POST" and request.POST.get("confirm") == "yes"
    if not confirmed:
        session = queries.session_to_confirm(actor=actor, session_id=session_id)
        if not session.has_started or session.status != SessionStatus.SCHEDULED:
            messages.error(request, "Nothing changed: " + _no_show_refusal(session) + ".")
            return redirect_back(request, "care:session_list", client_id=session.client_id)
        return render(
            request,
            "care/session_no_show.html",
            {"session": session, "client": session.client, "next": safe_next(request)},
        )
    session = queries.session_for_action(actor=actor, session_id=session_id)
    try:
        services.session_mark_no_show(actor=actor, session=session)
        messages.success(request, f"Recorded: {session.client.chosen_name} did not come.")
    except services.SessionStateError as error:
        messages.error(request, f"Nothing changed: {error}.")
    return redirect_back(request, "care:session_list", client_id=session.client_id)


def _no_show_refusal(session) -> str:
    if session.status != SessionStatus.SCHEDULED:
        return "only a scheduled session can be marked as missed"
    return (
        f"this session starts on {when(session.starts_at)}; you can record that the client "
        "did not come once it has started"
    )
