"""A meeting's agenda, on screen and as a PDF to print for the meeting."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from attune.access.actor import StaffActor
from attune.pdf import RenderUnavailableError, render_pdf
from attune.supervision import queries


def _agenda(request, meeting_id: int):
    actor = StaffActor.from_request(request)
    meeting = queries.meeting_for(actor=actor, meeting_id=meeting_id)
    return queries.meeting_agenda(actor=actor, meeting=meeting)


@login_required
def agenda(request, meeting_id: int):
    return render(request, "supervision/agenda.html", {"agenda": _agenda(request, meeting_id)})


@login_required
def agenda_pdf(request, meeting_id: int):
    agenda = _agenda(request, meeting_id)
    html = render_to_string("supervision/agenda_print.html", {"agenda": agenda})
    try:
        data = render_pdf(html)
    except RenderUnavailableError as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    name = f"supervision-agenda-{agenda.meeting.meets_on.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
