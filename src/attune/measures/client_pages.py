"""The check-in page a client opens through a private link, on a phone, with no account."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import translation

from attune.access.actor import Actor
from attune.clients import link_pages
from attune.clients import queries as client_queries
from attune.measures import services
from attune.measures.forms import CheckInForm


@link_pages.register(services.CHECKIN_PURPOSE, label="Tell us how a session went")
def checkin_page(request, link):
    actor = Actor.from_request(request, link_id=link.pk)
    client = client_queries.client_for_link(actor=actor, link=link)
    checkin = services.checkin_for_link(actor=actor, link=link)
    form = CheckInForm(
        request.POST if request.method == "POST" else None,
        parts=services.checkin_instruments(checkin),
        language=translation.get_language() or "en",
    )
    if request.method == "POST" and form.is_valid():
        stored = services.checkin_submit(
            actor=actor, checkin=checkin, answers=form.answers_by_key()
        )
        link.refresh_from_db(fields=["used_at"])
        if stored is None and link.used_at is None:
            # The link expired while the page was open: say so rather than show the form again.
            return render(request, "clients/link_refused.html", {"rate_limited": False}, status=404)
        # Stored now or by an earlier click: either way the thank-you page follows.
        return redirect("clients:client_home")
    return render(
        request,
        "measures/client_checkin.html",
        {"form": form, "client": client, "blocks": form.blocks()},
    )
