"""Staff pages of rupture and repair logs: a client's logs, open, read, edit, close.

When a log cannot be saved, the page shows why and keeps every word the therapist typed.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from attune.access.actor import StaffActor
from attune.care import queries, services
from attune.care.forms.repairs import CloseRepairForm, RepairEditForm, RepairForm
from attune.care.services.repairs import TEXT_FIELDS

FOLLOW_UP_DAYS = 7
NOT_SAVED = "Nothing was saved: {error}. What you wrote is still below."


def _posted(request):
    return request.POST if request.method == "POST" else None


def _new_initial() -> dict:
    today = timezone.localdate()
    return {"occurred_on": today, "follow_up_on": today + timedelta(days=FOLLOW_UP_DAYS)}


def _not_saved(request, form):
    """Answer 404 for a client out of reach, giving back what was typed (and nothing else).

    The page is the same whether the client was transferred, closed to this therapist or never
    existed, so it reveals nothing; the words are the therapist's own, from this request.
    """
    return render(request, "care/repair_not_saved.html", {"form": form}, status=404)


@login_required
def repair_list(request, client_id: int):
    if not request.user.is_therapist and not request.user.is_supervisor:
        raise Http404
    client, logs = queries.client_repairs(
        actor=StaffActor.from_request(request), client_id=client_id
    )
    return render(
        request,
        "care/repair_list.html",
        {
            "client": client,
            "logs": logs,
            "can_open": request.user.has_perm("care.open_repair", client)
            and client.closed_at is None,
        },
    )


@login_required
def repair_new(request, client_id: int):
    if not request.user.is_therapist:
        raise Http404
    actor = StaffActor.from_request(request)
    form = RepairForm(_posted(request), by_hand=True, initial=_new_initial())
    try:
        client = queries.client_for_repair(actor=actor, client_id=client_id)
    except Http404:
        if request.method == "POST":
            return _not_saved(request, form)
        raise
    if request.method == "POST" and form.is_valid():
        try:
            log = services.repair_open(
                actor=actor,
                client=client,
                follow_up_on=form.cleaned_data["follow_up_on"],
                occurred_on=form.cleaned_data["occurred_on"],
                **form.texts(),
            )
        except services.RepairError as error:
            form.add_error(None, NOT_SAVED.format(error=error))
        else:
            messages.success(request, "Repair log opened.")
            return redirect("care:repair_detail", repair_id=log.pk)
    return render(
        request, "care/repair_form.html", {"client": client, "form": form, "signal": None}
    )


@login_required
def repair_from_signal(request, signal_id: int):
    if not request.user.is_therapist:
        raise Http404
    actor = StaffActor.from_request(request)
    form = RepairForm(_posted(request), initial=_new_initial())
    try:
        signal = queries.signal_for_repair(actor=actor, signal_id=signal_id)
    except Http404:
        if request.method == "POST":
            return _not_saved(request, form)
        raise
    existing = signal.repair_logs.first()
    if existing is not None and request.method == "GET":
        messages.info(request, "A repair log was already opened from this signal.")
        return redirect("care:repair_detail", repair_id=existing.pk)
    if request.method == "POST" and form.is_valid():
        try:
            log = services.repair_open(
                actor=actor,
                client=signal.client,
                signal=signal,
                follow_up_on=form.cleaned_data["follow_up_on"],
                **form.texts(),
            )
        except services.RepairExists as error:
            messages.info(request, "A repair log was already opened from this signal.")
            return redirect("care:repair_detail", repair_id=error.log.pk)
        except services.RepairError as error:
            form.add_error(None, NOT_SAVED.format(error=error))
        else:
            messages.success(request, "Repair log opened; the signal is acknowledged.")
            return redirect("care:repair_detail", repair_id=log.pk)
    return render(
        request, "care/repair_form.html", {"client": signal.client, "form": form, "signal": signal}
    )


def _detail_page(request, page, close_form=None, status=200):
    log = page.log
    return render(
        request,
        "care/repair_detail.html",
        {
            "log": log,
            "client": log.client,
            "progress": page.progress,
            "can_change": page.can_change,
            "close_form": close_form
            or CloseRepairForm(
                log=log,
                initial={
                    "closed_on": timezone.localdate(),
                    "outcome": page.progress.suggestion or None,
                },
            ),
        },
        status=status,
    )


@login_required
def repair_detail(request, repair_id: int):
    if not request.user.is_therapist and not request.user.is_supervisor:
        raise Http404
    page = queries.repair_for_view(actor=StaffActor.from_request(request), repair_id=repair_id)
    return _detail_page(request, page)


@login_required
def repair_edit(request, repair_id: int):
    if not request.user.is_therapist:
        raise Http404
    actor = StaffActor.from_request(request)
    data = _posted(request)
    try:
        log = queries.repair_for_change(actor=actor, repair_id=repair_id)
    except Http404:
        if request.method == "POST":
            return _not_saved(request, RepairEditForm(data))
        raise
    initial = {name: getattr(log, name) for name in TEXT_FIELDS}
    initial |= {"follow_up_on": log.follow_up_on, "version": log.version}
    form = RepairEditForm(data, saved=log, initial=initial)
    saved = None  # the stored log, shown beside the form after a conflict
    if data is not None and form.is_valid():
        try:
            services.repair_update(
                actor=actor,
                log=log,
                version=form.cleaned_data["version"],
                follow_up_on=form.cleaned_data["follow_up_on"],
                **form.texts(),
            )
        except services.RepairConflict as conflict:
            saved = conflict.current
            # Resubmitting now is a deliberate choice made with the saved text in view.
            data = data.copy()
            data["version"] = saved.version
            form = RepairEditForm(data, saved=saved)
            form.is_valid()
            form.add_error(
                None,
                "Nothing was saved: this log was changed in another tab since you opened it. "
                "The saved text is shown below yours; yours is still in the form. Save again "
                "to replace the saved text with yours.",
            )
        except services.RepairError as error:
            form.add_error(None, NOT_SAVED.format(error=error))
        else:
            messages.success(request, "Repair log saved.")
            return redirect("care:repair_detail", repair_id=log.pk)
    return render(
        request,
        "care/repair_edit.html",
        {"log": log, "client": log.client, "form": form, "saved": saved},
    )


@login_required
@require_POST
def repair_close(request, repair_id: int):
    if not request.user.is_therapist:
        raise Http404
    actor = StaffActor.from_request(request)
    log = queries.repair_for_change(actor=actor, repair_id=repair_id)
    form = CloseRepairForm(request.POST, log=log)
    if form.is_valid():
        try:
            services.repair_close(
                actor=actor,
                log=log,
                outcome=form.cleaned_data["outcome"],
                closed_on=form.cleaned_data["closed_on"],
                note=form.cleaned_data["note"],
            )
        except services.RepairError as error:
            form.add_error(None, f"Nothing changed: {error}.")
        else:
            messages.success(request, "Repair log closed.")
            return redirect("care:repair_detail", repair_id=log.pk)
    page = queries.repair_for_view(actor=actor, repair_id=repair_id)
    return _detail_page(request, page, close_form=form)
