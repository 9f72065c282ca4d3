"""Pages a client reaches through a private link, on a phone, with no account.

The token in the first URL is exchanged for a short session and the browser is sent on to a
clean URL, so the token never stays in the address bar, the history or a Referer header.  The
client first picks the language of the pages; then the page registered for the link's purpose
(link_purposes.py) takes over.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from attune.access.actor import Actor
from attune.clients import link_purposes, queries, services
from attune.clients.forms import (
    LANGUAGE_SUGGESTIONS,
    OWN_NAMES,
    PRONOUN_SUGGESTIONS,
    ClientProfileForm,
)
from attune.clients.identity_forms import CulturalFormulationForm, SelfIdentificationForm
from attune.clients.language import welcome_in_each_language
from attune.clients.models import ClientLink, LinkPurpose

SESSION_LINK = "client_link_id"
SESSION_UNTIL = "client_link_until"
SESSION_LANGUAGE = "client_language"
# Set by a check-in whose answers include a safety item above its lowest answer: the thank-you
# page then tells the client the answers may not be read today and what to do now.
SESSION_SAFETY_ANSWER = "client_safety_answer"


def activate_client_language(request, link: ClientLink | None = None) -> str:
    """Activate the client's page language: chosen in this session, remembered, or negotiated."""
    supported = dict(settings.CLIENT_LANGUAGES)
    language = request.session.get(SESSION_LANGUAGE) or (link and link.client.page_language)
    if language not in supported:
        language = translation.get_language_from_request(request)
        language = language if language in supported else settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def _refused(request, *, rate_limited: bool = False):
    activate_client_language(request)
    status = 429 if rate_limited else 404
    return render(
        request, "clients/link_refused.html", {"rate_limited": rate_limited}, status=status
    )


@never_cache
def link_open(request, token: str):
    try:
        link = services.link_open(actor=Actor.from_request(request), token=token)
    except services.LinkRefused as refusal:
        return _refused(request, rate_limited=refusal.rate_limited)
    # A fresh session key: whatever session this browser had before is not carried over.
    request.session.flush()
    request.session[SESSION_LINK] = link.pk
    until = timezone.now() + timedelta(minutes=settings.ATTUNE_CLIENT_SESSION_MINUTES)
    request.session[SESSION_UNTIL] = until.isoformat()
    if link.client.page_language:
        request.session[SESSION_LANGUAGE] = link.client.page_language
    return redirect("clients:client_home")


def current_link(request) -> ClientLink | None:
    """Return the link this browser's client session stands on, while it lasts."""
    link_id = request.session.get(SESSION_LINK)
    until = request.session.get(SESSION_UNTIL)
    if not link_id or not until or datetime.fromisoformat(until) < timezone.now():
        return None
    link = ClientLink.objects.select_related("client").filter(pk=link_id).first()
    if link is None or link.revoked_at is not None:
        return None
    return link


@never_cache
def client_home(request):
    link = current_link(request)
    if link is None:
        return _refused(request)
    activate_client_language(request, link)
    if SESSION_LANGUAGE not in request.session:
        return render(
            request,
            "clients/client_language.html",
            {"client": link.client, "welcomes": welcome_in_each_language()},
        )
    if link.used_at is not None:
        return render(
            request,
            "clients/client_thanks.html",
            {"client": link.client, "safety_answer": request.session.get(SESSION_SAFETY_ANSWER)},
        )
    page = link_purposes.page_for(link.purpose)
    if page is None:
        return _refused(request)
    return page.view(request, link)


@never_cache
@require_POST
def client_language(request):
    """Switch the client pages' language, from any client page, and go back to the same page.

    Every client page is at one address (``client_home``: the link's page, its next step, the
    thank-you page), so going back there keeps the client where they were.  Without a live link
    (an expired link's page) the choice is kept for this browser only.
    """
    link = current_link(request)
    language = request.POST.get("language", "")
    if language in dict(settings.CLIENT_LANGUAGES):
        if link is not None:
            services.client_page_language_set(
                actor=Actor.from_request(request, link_id=link.pk),
                client=link.client,
                language=language,
            )
        request.session[SESSION_LANGUAGE] = language
    return redirect("clients:client_home")


@link_purposes.register(LinkPurpose.PROFILE, label="Check and update how you are named")
def profile_page(request, link: ClientLink):
    actor = Actor.from_request(request, link_id=link.pk)
    client = queries.client_for_link(actor=actor, link=link)
    initial = {
        "chosen_name": client.chosen_name,
        "pronouns": client.pronouns,
        "preferred_language": client.preferred_language,
    }
    form = ClientProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.profile_submit(actor=actor, link=link, **form.cleaned_data)
        return redirect("clients:client_home")
    return render(
        request,
        "clients/client_profile.html",
        {
            "form": form,
            "client": client,
            "pronoun_suggestions": PRONOUN_SUGGESTIONS,
            "language_suggestions": LANGUAGE_SUGGESTIONS,
        },
    )


@link_purposes.register(LinkPurpose.SELF_IDENTIFICATION, label="Tell us about yourself")
def self_identification_page(request, link: ClientLink):
    actor = Actor.from_request(request, link_id=link.pk)
    client = queries.client_for_link(actor=actor, link=link)
    initial = SelfIdentificationForm.initial_from(client, client.latest_identity)
    form = SelfIdentificationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        answers, declined = form.answers_and_declined()
        services.self_identification_record(
            actor=actor, client=client, answers=answers, declined=declined, via_link=link
        )
        return redirect("clients:client_home")
    return render(
        request,
        "clients/client_identity.html",
        {
            "form": form,
            "client": client,
            **identity_suggestions(),
            # On the client's own page, each language in its own name.
            "language_suggestions": [(tag, OWN_NAMES[tag]) for tag, _ in LANGUAGE_SUGGESTIONS],
        },
    )


@link_purposes.register(LinkPurpose.FORMULATION, label="In your own words: what brings you here")
def formulation_page(request, link: ClientLink):
    actor = Actor.from_request(request, link_id=link.pk)
    client = queries.client_for_link(actor=actor, link=link)
    form = CulturalFormulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cultural_formulation_record(
            actor=actor, client=client, answers=form.answers(), via_link=link
        )
        return redirect("clients:client_home")
    return render(request, "clients/client_formulation.html", {"form": form, "client": client})


def identity_suggestions() -> dict:
    """Return the datalists the identity form offers beside its free-text fields."""
    return {
        "pronoun_suggestions": PRONOUN_SUGGESTIONS,
        "language_suggestions": LANGUAGE_SUGGESTIONS,
    }
