"""The therapist's way round a failed invitation: a fresh link for the same check-in.

POST only (it issues a link); the answer is the page that shows the new link once, with a QR
code to scan from the therapist's screen, laid out for a phone's width.
"""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attune.access.actor import Actor
from attune.clients import queries as client_queries
from attune.measures import fresh_link
from attune.measures.models import CheckIn


@login_required
@require_POST
def checkin_fresh_link(request, client_id: int, checkin_id: int):
    actor = Actor.from_request(request)
    if not request.user.is_therapist:
        raise Http404
    client = client_queries.client_record(actor=actor, client_id=client_id, section="measures")
    if not request.user.has_perm("measures.send_checkin", client):
        raise Http404
    if not CheckIn.objects.filter(pk=checkin_id, client=client).exists():
        raise Http404
    try:
        fresh = fresh_link.checkin_fresh_link(
            actor=actor,
            checkin_id=checkin_id,
            how=request.POST.get("how", ""),
            base_url=request.build_absolute_uri("/"),
        )
    except fresh_link.FreshLinkRefused as error:
        messages.error(request, f"No fresh link was issued: {error}.")
        return redirect("measures:client_measures", client_id=client.pk)
    qr_svg = qrcode.make(fresh.url, image_factory=qrcode.image.svg.SvgPathImage)
    return render(
        request,
        "measures/checkin_fresh_link.html",
        {
            "client": client,
            "fresh": fresh,
            "channel": fresh_link.CHANNEL_NAMES.get(fresh.how, ""),
            "qr_svg": qr_svg.to_string(encoding="unicode"),
        },
    )
