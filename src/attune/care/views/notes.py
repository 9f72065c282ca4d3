"""Staff pages of session notes: a client's notes, one note, its versions, writing it.

While writing, the therapist may run the same private language check as the draft-note page;
it stores nothing.  Saving stores the encrypted text and two counts (``services.note_save``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from attune.access.actor import StaffActor
from attune.access.refusals import refused_for
from attune.care import queries, services
from attune.care.forms.notes import NoteForm
from attune.care.models import TherapySession
from attune.care.services.notes import note_language
from attune.clients.queries import refused_client_id
from attune.language.views import _findings_view

CHECK = "check"


@login_required
def note_list(request, client_id: int):
    if not request.user.is_therapist:
        raise refused_client_id(StaffActor.from_request(request), client_id, section="notes")
    client, rows = queries.client_notes(actor=StaffActor.from_request(request), client_id=client_id)
    return render(
        request,
        "care/note_list.html",
        {
            "client": client,
            "rows": rows,
            "can_write": request.user.has_perm("care.write_note", client),
        },
    )


@login_required
def note_detail(request, session_id: int):
    if not request.user.is_therapist:
        raise refused_for(
            StaffActor.from_request(request), TherapySession, session_id, section="notes"
        )
    page = queries.note_for_view(actor=StaffActor.from_request(request), session_id=session_id)
    return render(
        request,
        "care/note_detail.html",
        {"page": page, "session": page.session, "client": page.session.client},
    )


@login_required
def note_history(request, session_id: int):
    if not request.user.is_therapist:
        raise refused_for(
            StaffActor.from_request(request), TherapySession, session_id, section="notes"
        )
    session, versions = queries.note_versions(
        actor=StaffActor.from_request(request), session_id=session_id
    )
    return render(
        request,
        "care/note_history.html",
        {"session": session, "client": session.client, "versions": versions},
    )


@login_required
def note_write(request, session_id: int):
    if not request.user.is_therapist:
        raise refused_for(
            StaffActor.from_request(request), TherapySession, session_id, section="notes"
        )
    actor = StaffActor.from_request(request)
    session, note = queries.note_for_writing(actor=actor, session_id=session_id)
    initial = {"text": note.text if note else "", "version": note.version if note else 0}
    data = request.POST if request.method == "POST" else None
    form = NoteForm(data, initial=initial)
    context: dict[str, object] = {
        "session": session,
        "client": session.client,
        "note": note,
        "saved": None,
    }
    if data is not None and form.is_valid():
        text = form.cleaned_data["text"]
        if data.get("action") == CHECK:
            # The private check: nothing is stored, counted or trailed beyond the page read.
            report = note_language(text)
            context |= _findings_view(report) | {"report": report}
        else:
            try:
                services.note_save(
                    actor=actor, session=session, text=text, version=form.cleaned_data["version"]
                )
            except services.NoteConflict as conflict:
                saved = conflict.current
                data = data.copy()
                data["version"] = saved.version if saved else 0
                form = NoteForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    "Nothing was saved: this note was changed in another tab since you opened "
                    "it. The saved note is shown below yours; yours is still in the form. Save "
                    "again to replace it with yours.",
                )
                context["saved"] = saved
            except services.NoteError as error:
                form.add_error(None, f"Nothing was saved: {error}. What you wrote is still below.")
            else:
                messages.success(request, "Note saved.")
                return redirect("care:note_detail", session_id=session.pk)
    context["form"] = form
    return render(request, "care/note_form.html", context)
