"""Staff pages of the reflection journal: the author's own entries, and what was shared.

Every page answers 404 to anyone the entry is not for, so an entry's existence is never revealed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attune.access.actor import Actor, StaffActor
from attune.access.models import StaffUser
from attune.access.navigation import redirect_back
from attune.care import queries, services
from attune.care.forms.reflections import (
    ReflectionForm,
    ReflectionSearchForm,
    ShareForm,
    answer_field_name,
)
from attune.care.models import REFLECTION_PROMPTS, Reflection
from attune.clients import queries as client_queries
from attune.clients.models import Client


def _journal_keeper(request) -> StaffActor:
    if not request.user.has_perm("care.keep_journal"):
        raise Http404
    return StaffActor.from_request(request)


def _client_choices(actor: StaffActor, also: Reflection | None = None) -> list[tuple[int, str]]:
    """Return the author's open clients as choices (and the entry's own client, if closed)."""
    rows = client_queries.caseload(therapist=actor.user, actor=actor)
    # Two clients who chose the same name are told apart by their case codes.
    choices = [
        (row["id"], f"{row['chosen_name']} (case {row['tell_apart']})")
        if row["tell_apart"]
        else (row["id"], row["chosen_name"])
        for row in rows
    ]
    if also is not None and also.client_id and also.client_id not in dict(choices):
        closed = also.client  # the entry's client, no longer on the caseload
        if closed is not None:
            choices.append((closed.pk, closed.chosen_name))
    return choices


def _initial(reflection: Reflection) -> dict:
    initial = {
        answer_field_name(code): (reflection.answers or {}).get(code, "")
        for code, _question in REFLECTION_PROMPTS
    }
    initial.update(
        text=reflection.text,
        tags=reflection.tags,
        client=reflection.client_id,
        session=reflection.session_id,
        version=reflection.version,
    )
    return initial


def _content(form: ReflectionForm, actor: StaffActor) -> dict:
    """Return the service's keyword arguments from a valid form (client and session checked)."""
    session_id = form.cleaned_data.get("session")
    session = queries.session_for_action(actor=actor, session_id=session_id) if session_id else None
    client_id = form.cleaned_data.get("client")
    client = (
        Client.objects.filter(pk=client_id, therapist=actor.user).first() if client_id else None
    )
    if client_id and client is None:
        raise Http404
    return {
        "answers": form.cleaned_data["answers"],
        "text": form.cleaned_data["text"],
        "tags": form.cleaned_data["tags"],
        "client": client,
        "session": session,
    }


def _form_page(request, form, *, reflection=None, session=None, status=200):
    return render(
        request,
        "care/reflection_form.html",
        {"form": form, "reflection": reflection, "session": session},
        status=status,
    )


@login_required
def reflection_list(request):
    actor = _journal_keeper(request)
    form = ReflectionSearchForm(request.GET or None, clients=_client_choices(actor))
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "words": form.cleaned_data["words"],
            "tag": form.cleaned_data["tag"],
            "client_id": form.cleaned_data["client"],
            "since": form.cleaned_data["since"],
            "until": form.cleaned_data["until"],
        }
    entries = queries.my_reflections(actor=actor, **filters) if not form.errors else []
    return render(
        request,
        "care/reflection_list.html",
        {"form": form, "entries": entries, "searched": bool(request.GET)},
    )


@login_required
def reflection_new(request):
    actor = _journal_keeper(request)
    session = None
    session_id = request.POST.get("session") or request.GET.get("session")
    if session_id:
        if not str(session_id).isdigit():
            raise Http404
        session = queries.session_for_action(actor=actor, session_id=int(session_id))
    client_id = request.GET.get("client", "")
    initial = {
        "session": session.pk if session else None,
        "client": session.client_id
        if session
        else (int(client_id) if client_id.isdigit() else None),
    }
    form = ReflectionForm(request.POST or None, initial=initial, clients=_client_choices(actor))
    if request.method == "POST" and form.is_valid():
        try:
            reflection = services.reflection_write(actor=actor, **_content(form, actor))
        except services.ReflectionError as error:
            form.add_error(None, f"Nothing was saved: {error}.")
        else:
            messages.success(request, "Saved in your journal. Only you can read it.")
            return redirect("care:reflection_detail", reflection_id=reflection.pk)
    return _form_page(request, form, session=session)


@login_required
def reflection_detail(request, reflection_id: int):
    if not (request.user.is_therapist or request.user.is_supervisor):
        raise Http404
    reflection = queries.reflection_to_read(
        actor=StaffActor.from_request(request), reflection_id=reflection_id
    )
    is_author = reflection.author_id == request.user.pk
    context = {"reflection": reflection, "is_author": is_author}
    if is_author:
        supervisors = services.current_supervisors(request.user)
        context.update(
            sharings=queries.sharing_history(reflection),
            open_sharings=queries.open_sharings(reflection),
            share_form=ShareForm(supervisors=supervisors) if supervisors else None,
        )
    return render(request, "care/reflection_detail.html", context)


@login_required
def reflection_edit(request, reflection_id: int):
    actor = _journal_keeper(request)
    reflection = queries.reflection_to_change(actor=actor, reflection_id=reflection_id)
    clients = _client_choices(actor, also=reflection)
    if request.method != "POST":
        form = ReflectionForm(initial=_initial(reflection), clients=clients)
        return _form_page(request, form, reflection=reflection, session=reflection.session)
    form = ReflectionForm(request.POST, clients=clients)
    if form.is_valid():
        try:
            services.reflection_edit(
                actor=actor,
                reflection=reflection,
                version=form.cleaned_data["version"] or 0,
                **_content(form, actor),
            )
        except services.ReflectionEditConflict:
            form.add_error(
                None,
                "Nothing was saved: this entry was changed in another tab or window after you "
                "opened it. What you typed is still below. Open the entry again to see the "
                "newer text, then copy in what you want to keep.",
            )
            return _form_page(request, form, reflection=reflection, status=409)
        except services.ReflectionError as error:
            form.add_error(None, f"Nothing was saved: {error}.")
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("care:reflection_detail", reflection_id=reflection.pk)
    return _form_page(request, form, reflection=reflection, session=reflection.session)


@login_required
@require_POST
def reflection_share(request, reflection_id: int):
    actor = _journal_keeper(request)
    reflection = queries.reflection_to_change(actor=actor, reflection_id=reflection_id)
    supervisors = services.current_supervisors(request.user)
    form = ShareForm(request.POST, supervisors=supervisors)
    if not form.is_valid():
        messages.error(request, "Nothing changed: choose one of your current supervisors.")
        return redirect("care:reflection_detail", reflection_id=reflection.pk)
    supervisor = next(p for p in supervisors if p.pk == form.cleaned_data["supervisor"])
    services.reflection_share(actor=actor, reflection=reflection, supervisor=supervisor)
    messages.success(request, f"{supervisor} can now read this entry, until you stop sharing it.")
    return redirect_back(request, "care:reflection_detail", reflection_id=reflection.pk)


@login_required
@require_POST
def reflection_unshare(request, reflection_id: int):
    actor = _journal_keeper(request)
    reflection = queries.reflection_to_change(actor=actor, reflection_id=reflection_id)
    supervisor_id = request.POST.get("supervisor", "")
    supervisor = (
        StaffUser.objects.filter(pk=int(supervisor_id)).first() if supervisor_id.isdigit() else None
    )
    ended = services.reflection_unshare(actor=actor, reflection=reflection, supervisor=supervisor)
    if ended:
        messages.success(request, "The entry is private again.")
    else:
        messages.info(request, "The entry was not shared, so nothing changed.")
    return redirect_back(request, "care:reflection_detail", reflection_id=reflection.pk)


@login_required
def reflection_delete(request, reflection_id: int):
    actor = _journal_keeper(request)
    reflection = queries.reflection_to_change(actor=actor, reflection_id=reflection_id)
    if request.method == "POST":
        services.reflection_delete(actor=actor, reflection=reflection)
        messages.success(request, "The entry is deleted.")
        return redirect("care:reflection_list")
    return render(request, "care/reflection_delete.html", {"reflection": reflection})


@login_required
def shared_reflections(request):
    if not request.user.has_perm("care.view_shared_reflections"):
        raise Http404
    entries = queries.shared_with_me(actor=Actor.from_request(request))
    return render(request, "care/reflections_shared.html", {"entries": entries})
