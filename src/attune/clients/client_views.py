"""Pages a client reaches through a private link, on a phone, with no account.

The token in the first URL is exchanged for a short session and the browser is sent on to a
clean URL, so the token never stays in the address bar, the history or a Referer header.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from attune.access.actor import Actor
from attune.clients import queries, services
from attune.clients.forms import LANGUAGE_SUGGESTIONS, PRONOUN_SUGGESTIONS, ClientProfileForm
from attune.clients.models import ClientLink

SESSION_LINK = "client_link_id"
SESSION_UNTIL = "client_link_until"


def _refused(request, *, rate_limited: bool = False):
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
    return redirect("clients:client_home")


def _current_link(request) -> ClientLink | None:
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
    link = _current_link(request)
    if link is None:
        return _refused(request)
    if link.used_at is not None:
        return render(request, "clients/client_thanks.html", {"client": link.client})
    client = queries.client_for_link(actor=Actor.from_request(request, link_id=link.pk), link=link)
    initial = {
        "chosen_name": client.chosen_name,
        "pronouns": client.pronouns,
        "preferred_language": client.preferred_language,
    }
    form = ClientProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.profile_submit(
            actor=Actor.from_request(request, link_id=link.pk),
            link_id=link.pk,
            **form.cleaned_data,
        )
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
