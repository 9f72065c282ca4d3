"""Pages of consultation groups: groups and members (leaders), presenting a case (a client's
therapist), reading a case and replying (members)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from attune.access.actor import Actor, StaffActor
from attune.clients import queries as client_queries
from attune.relationships.models import GroupMembership
from attune.supervision import queries, services
from attune.supervision.forms import (
    CaseConfirmForm,
    CaseSourceForm,
    FeedbackForm,
    GroupForm,
    MemberForm,
)
from attune.supervision.models import CaseFeedback
from attune.supervision.services.consultation import preview

TEMPLATES = "supervision/consultation/"


@login_required
def group_list(request):
    if not request.user.has_perm("supervision.view_consultation_groups"):
        raise Http404
    return render(
        request,
        TEMPLATES + "group_list.html",
        {
            "groups": queries.groups_for(request.user, actor=Actor.from_request(request)),
            "can_manage": request.user.has_perm("supervision.manage_consultation_groups"),
        },
    )


@login_required
def group_new(request):
    if not request.user.has_perm("supervision.manage_consultation_groups"):
        raise Http404
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = services.group_create(actor=StaffActor.from_request(request), **form.cleaned_data)
        messages.success(request, "Group created. Now add its members.")
        return redirect("supervision:consultation_members", group_id=group.pk)
    return render(request, TEMPLATES + "group_form.html", {"form": form})


@login_required
def group_members(request, group_id: int):
    group = queries.group_for_leader(
        user=request.user, group_id=group_id, actor=StaffActor.from_request(request)
    )
    choices = queries.consultation.possible_members(group)
    form = MemberForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(
                actor=StaffActor.from_request(request),
                group=group,
                member=form.cleaned_data["member"],
            )
            messages.success(request, f"{form.cleaned_data['member']} added.")
            return redirect("supervision:consultation_members", group_id=group.pk)
        except services.MembershipError as error:
            form.add_error("member", str(error).capitalize() + ".")
    return render(
        request,
        TEMPLATES + "group_members.html",
        {"group": group, "members": queries.consultation.current_members(group), "form": form},
    )


@login_required
@require_POST
def member_remove(request, membership_id: int):
    if not request.user.has_perm("supervision.manage_consultation_groups"):
        raise Http404
    membership = (
        GroupMembership.objects.select_related("group", "member")
        .filter(pk=membership_id, removed_at__isnull=True)
        .first()
    )
    if membership is None:
        raise Http404
    services.membership_remove(actor=Actor.from_request(request), membership=membership)
    messages.success(request, f"{membership.member} is no longer a member.")
    return redirect("supervision:consultation_members", group_id=membership.group_id)


@login_required
def group_detail(request, group_id: int):
    page = queries.group_for_member(actor=StaffActor.from_request(request), group_id=group_id)
    return render(
        request,
        TEMPLATES + "group_detail.html",
        {
            "page": page,
            "can_present": request.user.has_perm("supervision.present_to_group", page.group),
        },
    )


@login_required
def case_pick_client(request, group_id: int):
    group = queries.group_for_presenter(user=request.user, group_id=group_id)
    clients = client_queries.caseload(therapist=request.user, actor=Actor.from_request(request))
    return render(request, TEMPLATES + "pick_client.html", {"group": group, "clients": clients})


def _compose(request, group, client, form):
    return render(
        request, TEMPLATES + "case_compose.html", {"group": group, "client": client, "form": form}
    )


def _preview_page(request, case, source_form, confirm_form=None, refusal=None):
    results = preview(case, source_form.source(), source_form.extra())
    if confirm_form is None:
        initial = {f"final_{name}": result.text for name, result in results.items()}
        confirm_form = CaseConfirmForm(
            initial={**source_form.cleaned_data, **initial},
        )
    fields = [(CaseConfirmForm.base_fields[f"final_{n}"].label, r) for n, r in results.items()]
    return render(
        request,
        TEMPLATES + "case_preview.html",
        {
            "case": case,
            "results": fields,
            "reasons": [reason for _, r in fields for reason in r.reasons()],
            "form": confirm_form,
            "refusal": refusal,
        },
        status=200,
    )


@login_required
def case_new(request, group_id: int, client_id: int):
    actor = StaffActor.from_request(request)
    group = queries.group_for_presenter(user=request.user, group_id=group_id)
    client = queries.client_for_presentation(actor=actor, client_id=client_id)
    if request.method != "POST":
        return _compose(request, group, client, CaseSourceForm(initial=queries.prefill(client)))
    form = CaseSourceForm(request.POST)
    if not form.is_valid():
        return _compose(request, group, client, form)
    case = services.case_draft_start(actor=actor, group=group, client=client)
    return _preview_page(request, case, form)


@login_required
@require_POST
def case_post(request, case_id: int):
    actor = StaffActor.from_request(request)
    case = queries.draft_for_presenter(actor=actor, case_id=case_id)
    form = CaseConfirmForm(request.POST)
    source_form = CaseSourceForm(request.POST)
    if not source_form.is_valid():
        return _compose(request, case.group, case.client, source_form)
    if "edit" in request.POST:
        return _compose(request, case.group, case.client, source_form)
    if "preview" in request.POST or not form.is_valid():
        return _preview_page(
            request, case, source_form, None if "preview" in request.POST else form
        )
    posted, refusal = services.case_post(
        actor=actor,
        case=case,
        source=form.source(),
        final=form.final(),
        extra=form.extra(),
    )
    if refusal:
        return _preview_page(request, case, source_form, form, refusal)
    assert posted is not None  # only a refusal comes without the case
    messages.success(request, "Your case is posted to the group.")
    return redirect("supervision:consultation_case", case_id=posted.pk)


def _case_page(request, case, tree, form=None, refusal=None, status=200):
    return render(
        request,
        TEMPLATES + "case_detail.html",
        {
            "case": case,
            "tree": tree,
            "form": form or FeedbackForm(),
            "refusal": refusal,
        },
        status=status,
    )


@login_required
def case_detail(request, case_id: int):
    case, tree = queries.case_for_member(actor=StaffActor.from_request(request), case_id=case_id)
    return _case_page(request, case, tree)


@login_required
@require_POST
def case_reply(request, case_id: int):
    actor = StaffActor.from_request(request)
    case, tree = queries.case_for_member(actor=actor, case_id=case_id)
    if not request.user.has_perm("supervision.reply_to_case", case):
        raise Http404
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, tree, form, status=400)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = CaseFeedback.objects.filter(pk=form.cleaned_data["parent"], case=case).first()
        if parent is None:
            raise Http404
    item, refusal = services.feedback_add(
        actor=actor,
        case=case,
        body=form.cleaned_data["body"],
        submission_key=form.cleaned_data["submission_key"],
        parent=parent,
    )
    if refusal:
        form.add_error("body", " ".join(refusal.messages))
        return _case_page(request, case, tree, form, status=400)
    assert item is not None  # only a refusal comes without the reply
    messages.success(request, "Reply posted.")
    return redirect(reverse("supervision:consultation_case", args=[case.pk]) + f"#reply-{item.pk}")
