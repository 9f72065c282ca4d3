"""Staff pages of the system of care, and the public access statement."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from attune.access.actor import Actor, StaffActor
from attune.clients.language import agency_name
from attune.organisation import queries, services
from attune.organisation.forms import (
    ActionEditForm,
    ActionItemForm,
    AssessmentEditForm,
    AssessmentForm,
    DocumentForm,
    ItemAnswerForm,
    ProgressForm,
    TrainingForm,
)
from attune.organisation.items import ItemsFileError
from attune.organisation.models import ActionOrigin, Assessment


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise Http404


# --- Self-assessment -------------------------------------------------------------------------


@login_required
def assessment_list(request):
    _require(request, "organisation.manage_assessment")
    return render(
        request, "organisation/assessment_list.html", {"assessments": queries.assessments()}
    )


@login_required
def assessment_new(request):
    _require(request, "organisation.manage_assessment")
    latest = Assessment.objects.first()
    initial: dict[str, object] = {"started_on": timezone.localdate()}
    if latest is not None:
        initial.update(
            languages_served=latest.languages_served, public_contact=latest.public_contact
        )
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                actor=StaffActor.from_request(request), **form.cleaned_data
            )
        except ItemsFileError as error:
            form.add_error(None, f"The assessment items file cannot be used: {error}")
        else:
            messages.success(request, "The assessment has started. Answer the items in any order.")
            return redirect("organisation:assessment_detail", assessment_id=assessment.pk)
    return render(request, "organisation/assessment_form.html", {"form": form, "creating": True})


@login_required
def assessment_detail(request, assessment_id: int):
    _require(request, "organisation.manage_assessment")
    assessment = get_object_or_404(Assessment, pk=assessment_id)
    areas = queries.assessment_areas(assessment)
    others = Assessment.objects.exclude(pk=assessment.pk).only("pk", "title", "started_on")
    return render(
        request,
        "organisation/assessment_detail.html",
        {"assessment": assessment, "areas": areas, "others": others},
    )


@login_required
def assessment_edit(request, assessment_id: int):
    _require(request, "organisation.manage_assessment")
    assessment = get_object_or_404(Assessment, pk=assessment_id)
    initial = {
        "title": assessment.title,
        "languages_served": assessment.languages_served,
        "public_contact": assessment.public_contact,
        "completed_on": assessment.completed_on,
    }
    form = AssessmentEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.assessment_update(
            actor=Actor.from_request(request), assessment=assessment, **form.cleaned_data
        )
        messages.success(request, "Saved.")
        return redirect("organisation:assessment_detail", assessment_id=assessment.pk)
    return render(
        request, "organisation/assessment_form.html", {"form": form, "assessment": assessment}
    )


@login_required
def assessment_item(request, item_id: int):
    """Answer one item: status, evidence, date; upload forms or materials for the audit."""
    _require(request, "organisation.manage_assessment")
    item = queries.assessment_item(item_id)
    initial = {
        "status": item.status,
        "notes": item.notes,
        "evidence_links": item.evidence_links,
        "assessed_on": item.assessed_on,
    }
    form = ItemAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.assessment_item_answer(
            actor=Actor.from_request(request), item=item, **form.cleaned_data
        )
        messages.success(request, "Saved.")
        if item.needs_action and not item.action_items.exists():
            messages.info(request, "This item is not fully met. You can add an action item below.")
            return redirect("organisation:assessment_item", item_id=item.pk)
        return redirect(
            reverse("organisation:assessment_detail", args=[item.assessment_id])
            + f"#item-{item.pk}"
        )
    return render(
        request,
        "organisation/assessment_item.html",
        {
            "item": item,
            "form": form,
            "document_form": DocumentForm(),
            "documents": item.documents.all(),
        },
    )


@login_required
@require_POST
def item_document_upload(request, item_id: int):
    _require(request, "organisation.manage_assessment")
    item = queries.assessment_item(item_id)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            if upload.size > services.MAX_DOCUMENT_BYTES:
                raise services.DocumentRefused(
                    f"{upload.name} is too large to audit; the limit is "
                    f"{services.MAX_DOCUMENT_BYTES // 1000} kB."
                )
            document = services.item_document_audit(
                actor=StaffActor.from_request(request),
                item=item,
                data=upload.read(),
                filename=upload.name,
            )
        except services.DocumentRefused as refusal:
            form.add_error("document", str(refusal))
        else:
            messages.success(
                request,
                f"{document.filename} was audited: {document.finding_count} wording findings, "
                f"{document.missing_checks} missing self-identification options.",
            )
            return redirect(
                reverse("organisation:assessment_item", args=[item.pk]) + f"#doc-{document.pk}"
            )
    return render(
        request,
        "organisation/assessment_item.html",
        {
            "item": item,
            "form": ItemAnswerForm(
                initial={
                    "status": item.status,
                    "notes": item.notes,
                    "evidence_links": item.evidence_links,
                    "assessed_on": item.assessed_on,
                }
            ),
            "document_form": form,
            "documents": item.documents.all(),
        },
        status=400,
    )


@login_required
def assessment_compare(request, assessment_id: int, other_id: int):
    _require(request, "organisation.manage_assessment")
    later = get_object_or_404(Assessment, pk=assessment_id)
    earlier = get_object_or_404(Assessment, pk=other_id)
    rows = queries.compare(earlier, later)
    return render(
        request,
        "organisation/assessment_compare.html",
        {
            "earlier": earlier,
            "later": later,
            "rows": rows,
            "n_changed": sum(1 for row in rows if row.changed),
        },
    )


# --- Action items ----------------------------------------------------------------------------


@login_required
def action_board(request):
    _require(request, "organisation.view_actions")
    return render(
        request,
        "organisation/action_board.html",
        {
            "columns": queries.action_board(request.user),
            "is_leader": request.user.has_perm("organisation.manage_actions"),
            "today": timezone.localdate(),
        },
    )


@login_required
def action_new(request):
    _require(request, "organisation.manage_actions")
    item = None
    if request.GET.get("item", "").isdigit():
        item = queries.assessment_item(int(request.GET["item"]))
    initial: dict[str, object] = {"due_on": timezone.localdate() + timedelta(days=60)}
    if item is not None:
        initial.update(origin_kind=ActionOrigin.ASSESSMENT, origin=item.prompt)
    elif request.GET.get("finding"):
        initial.update(origin_kind=ActionOrigin.EQUITY, origin=request.GET["finding"][:2000])
    form = ActionItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = services.action_item_create(
            actor=StaffActor.from_request(request), assessment_item=item, **form.cleaned_data
        )
        messages.success(request, f"Action item added for {action.owner}.")
        return redirect("organisation:action_detail", action_id=action.pk)
    return render(request, "organisation/action_form.html", {"form": form, "item": item})


@login_required
def action_detail(request, action_id: int):
    """An action item: its owner and the leader add progress notes; the leader can edit it."""
    _require(request, "organisation.view_actions")
    action = queries.action_for(request.user, action_id)
    form = ProgressForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST":
        _require(request, "organisation.progress_action", action)
        if form.is_valid():
            services.action_item_progress(
                actor=StaffActor.from_request(request),
                action=action,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Progress noted.")
            return redirect("organisation:action_detail", action_id=action.pk)
    return render(
        request,
        "organisation/action_detail.html",
        {
            "action": action,
            "form": form,
            "can_edit": request.user.has_perm("organisation.manage_actions"),
        },
    )


@login_required
def action_edit(request, action_id: int):
    _require(request, "organisation.manage_actions")
    action = queries.action_for(request.user, action_id)
    initial = {
        "title": action.title,
        "description": action.description,
        "owner": action.owner,
        "due_on": action.due_on,
    }
    form = ActionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.action_item_update(
            actor=Actor.from_request(request), action=action, **form.cleaned_data
        )
        messages.success(request, "Saved.")
        return redirect("organisation:action_detail", action_id=action.pk)
    return render(request, "organisation/action_form.html", {"form": form, "action": action})


# --- Training records ------------------------------------------------------------------------


@login_required
def training_list(request):
    _require(request, "organisation.record_training")
    return render(
        request,
        "organisation/training_list.html",
        {
            "records": queries.training_for(request.user),
            "is_leader": request.user.has_perm("organisation.view_training_summary"),
        },
    )


@login_required
def training_new(request):
    _require(request, "organisation.record_training")
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.training_record_add(
            actor=StaffActor.from_request(request), staff=request.user, **form.cleaned_data
        )
        messages.success(request, "Training recorded.")
        return redirect("organisation:training_list")
    return render(request, "organisation/training_form.html", {"form": form})


@login_required
def training_summary(request):
    _require(request, "organisation.view_training_summary")
    since = None
    if request.GET.get("since"):
        try:
            since = date.fromisoformat(request.GET["since"])
        except ValueError:
            since = None
    return render(
        request,
        "organisation/training_summary.html",
        {"summary": queries.training_summary(since=since), "since": since},
    )


# --- The public access statement ---------------------------------------------------------------


def _statement(request, language: str):
    supported = dict(settings.CLIENT_LANGUAGES)
    if language not in supported:
        raise Http404
    with translation.override(language):
        statement = queries.public_statement(language)
        response = render(
            request,
            "organisation/public_statement.html",
            {
                "statement": statement,
                "agency_name": agency_name(),
                "client_languages": settings.CLIENT_LANGUAGES,
                "current": language,
            },
        )
    response["Content-Language"] = language
    return response


def public_statement(request):
    """The access statement, in the visitor's browser language when Attune has it."""
    language = translation.get_language_from_request(request)
    if language not in dict(settings.CLIENT_LANGUAGES):
        language = settings.LANGUAGE_CODE
    return _statement(request, language)


def public_statement_in(request, language: str):
    return _statement(request, language)
