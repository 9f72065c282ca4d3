"""Partner directory, referrals from a client's page, and the client's feedback page."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from attune.access.actor import Actor, StaffActor
from attune.clients import link_purposes
from attune.clients import queries as client_queries
from attune.community import queries, services
from attune.community.forms import FollowUpForm, PartnerForm, ReferralFeedbackForm, ReferralForm
from attune.community.models import PartnerKind


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise Http404


# --- Partners --------------------------------------------------------------------------------


@login_required
def partner_list(request):
    _require(request, "community.view_partners")
    kind = request.GET.get("kind", "")
    kind = kind if kind in PartnerKind.values else ""
    language = request.GET.get("language", "").strip()[:35]
    return render(
        request,
        "community/partner_list.html",
        {
            "partners": queries.partners(kind=kind, language=language),
            "can_manage": request.user.has_perm("community.manage_partners"),
            "kinds": PartnerKind.choices,
            "kind": kind,
            "language": language,
            "filtered": bool(kind or language),
        },
    )


@login_required
def partner_new(request):
    _require(request, "community.manage_partners")
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = services.partner_create(actor=Actor.from_request(request), **form.cleaned_data)
        messages.success(request, f"{partner.name} is in the directory.")
        return redirect("community:partner_list")
    return render(request, "community/partner_form.html", {"form": form})


@login_required
def partner_edit(request, partner_id: int):
    _require(request, "community.manage_partners")
    partner = queries.partner(partner_id)
    initial = {name: getattr(partner, name) for name in services.PARTNER_FIELDS}
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.partner_update(
            actor=Actor.from_request(request), partner=partner, **form.cleaned_data
        )
        messages.success(request, "Saved.")
        return redirect("community:partner_list")
    return render(request, "community/partner_form.html", {"form": form, "partner": partner})


@login_required
@require_POST
def partner_delete(request, partner_id: int):
    _require(request, "community.manage_partners")
    partner = queries.partner(partner_id)
    kept = services.partner_delete(actor=Actor.from_request(request), partner=partner)
    messages.success(
        request,
        f"{partner.name} is removed from the directory. "
        f"{kept} referrals to them keep their history.",
    )
    return redirect("community:partner_list")


@login_required
def referral_counts(request):
    _require(request, "community.view_referral_counts")
    return render(request, "community/referral_counts.html", {"rows": queries.referral_counts()})


# --- Referrals -------------------------------------------------------------------------------


@login_required
def client_referrals(request, client_id: int):
    """A client's referrals, and a form to make a new one with the client's consent."""
    if not request.user.is_therapist:
        raise Http404
    actor = StaffActor.from_request(request)
    client = client_queries.client_record(actor=actor, client_id=client_id, section="referrals")
    _require(request, "community.refer", client)
    form = ReferralForm(request.POST or None, initial={"consent_given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        referral = services.referral_create(
            actor=actor,
            client=client,
            partner=data["partner"],
            reason=data["reason"],
            consent_given_on=data["consent_given_on"],
            referred_on=timezone.localdate(),
            follow_up_on=data["follow_up_on"],
        )
        messages.success(request, f"Referred to {referral.partner_name}.")
        return redirect("community:referral_detail", referral_id=referral.pk)
    partners = cast(forms.ModelChoiceField, form.fields["partner"]).queryset
    return render(
        request,
        "community/client_referrals.html",
        {
            "client": client,
            "referrals": queries.client_referrals(actor=actor, client=client),
            "form": form,
            "has_partners": partners is not None and partners.exists(),
        },
    )


@login_required
def referral_detail(request, referral_id: int):
    """One referral: follow-up, the client's feedback, and a link to ask for it."""
    if not request.user.is_therapist:
        raise Http404
    actor = StaffActor.from_request(request)
    referral = queries.referral_for(actor=actor, referral_id=referral_id)
    form = FollowUpForm(
        request.POST or None,
        initial={
            "follow_up": referral.follow_up,
            "follow_up_notes": referral.follow_up_notes,
            "follow_up_on": referral.follow_up_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.referral_follow_up(actor=actor, referral=referral, **form.cleaned_data)
        messages.success(request, "Follow-up saved.")
        return redirect("community:referral_detail", referral_id=referral.pk)
    feedback = getattr(referral, "feedback", None)
    return render(
        request,
        "community/referral_detail.html",
        {"referral": referral, "client": referral.client, "form": form, "feedback": feedback},
    )


@login_required
@require_POST
def referral_link(request, referral_id: int):
    """Issue the client a private link to tell how the referral went."""
    if not request.user.is_therapist:
        raise Http404
    actor = StaffActor.from_request(request)
    referral = queries.referral_for(actor=actor, referral_id=referral_id)
    issued = services.referral_feedback_link_issue(actor=actor, referral=referral)
    url = request.build_absolute_uri(f"/c/{issued.token}/")
    return render(
        request,
        "clients/link_issued.html",
        {"client": referral.client, "link": issued.link, "url": url},
    )


# --- The client's page, opened through a private link ------------------------------------------


@link_purposes.register(services.REFERRAL_FEEDBACK, label="Tell us how a referral went")
def referral_feedback_page(request, link):
    actor = Actor.from_request(request, link_id=link.pk)
    client = client_queries.client_for_link(actor=actor, link=link)
    referral = queries.referral_for_link(link)
    if referral is None or hasattr(referral, "feedback"):
        return render(request, "community/referral_feedback_none.html", {"client": client})
    form = ReferralFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.referral_feedback_submit(
            actor=actor, link=link, referral=referral, **form.cleaned_data
        )
        return redirect("clients:client_home")
    return render(
        request,
        "community/referral_feedback.html",
        {"client": client, "referral": referral, "form": form},
    )
