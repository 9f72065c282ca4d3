"""The check-in page a client opens through a private link, on a phone, with no account.

A short check-in is one page.  A long one (``CheckInForm.is_long``) is shown a page at a time:
each "Save and continue" or "Back" keeps the answers so far as an encrypted draft bound to the
check-in, so the client can close the page and open the same link later to go on where they
stopped.  Only the final "Send" stores a response, exactly once.
"""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils import translation

from attune.access.actor import Actor
from attune.clients import link_purposes
from attune.clients import queries as client_queries
from attune.clients.client_pages import SESSION_SAFETY_ANSWER
from attune.measures import services
from attune.measures.forms import TAMPERED, CheckInForm

# Fields of the paged form that steer it rather than answer a question.
CONTROL_FIELDS = ("page", "action", "version")


@link_purposes.register(services.CHECKIN_PURPOSE, label="Tell us how a session went")
def checkin_page(request, link):
    actor = Actor.from_request(request, link_id=link.pk)
    checkin = services.checkin_for_link(actor=actor, link=link)
    posted = _answers_posted(request)
    form = CheckInForm(
        posted,
        parts=services.checkin_instruments(checkin),
        language=translation.get_language() or "en",
    )
    if form.is_long:
        return _paged_checkin(request, link, actor=actor, checkin=checkin, form=form)
    if posted is not None and form.is_valid():
        return _submit(request, link, actor=actor, checkin=checkin, form=form)
    # The page shows the client's record (their name, their goals): that read is trailed.
    # A submission that is stored shows nothing; its own entries are the record of it.
    client = client_queries.client_for_link(actor=actor, link=link)
    return render(
        request,
        "measures/client_checkin.html",
        {
            "form": form,
            "client": client,
            "blocks": form.blocks(),
            "shown_in": shown_in_other_language(form),
        },
    )


def shown_in_other_language(form) -> str:
    """Name (in the page's language) the language questions fall back to, if any do."""
    fallback = next((block.language for block in form.layout if block.language), None)
    if fallback is None:
        return ""
    try:
        name = str(translation.get_language_info(fallback.split("-")[0])["name_translated"])
    except KeyError:
        return fallback
    # Spanish writes language names in lower case within a sentence ("en inglés").
    return name.lower() if translation.get_language() == "es" else name


def _answers_posted(request) -> QueryDict | None:
    if request.method != "POST":
        return None
    answers = request.POST.copy()
    for name in CONTROL_FIELDS:
        answers.pop(name, None)
    return answers


def _submit(request, link, *, actor, checkin, form):
    stored = services.checkin_submit(
        actor=actor, checkin=checkin, answers=form.answers_by_key(), drop_draft=form.is_long
    )
    if stored is None:
        link.refresh_from_db(fields=["used_at"])
        if link.used_at is None:
            # The link expired while the page was open: say so rather than show the form again.
            return render(request, "clients/link_refused.html", {"rate_limited": False}, status=404)
    if stored and any(response.safety_items for response in stored):
        # An answer on a safety item: the thank-you page says what to do now (client_pages).
        request.session[SESSION_SAFETY_ANSWER] = True
    # Stored now or by an earlier click: either way the thank-you page follows.
    return redirect("clients:client_home")


def _number(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _paged_checkin(request, link, *, actor, checkin, form):
    draft = services.checkin_draft(checkin)
    saved = draft.data if draft else {}
    version = draft.version if draft else 0
    last = len(form.pages())
    if request.method != "POST":
        shown = CheckInForm(parts=form.parts, language=form.language, initial=saved)
        page = min(max(draft.page if draft else 1, 1), last)
        return _render_page(request, link, actor, checkin, shown, page=page, version=version)

    page = min(max(_number(request.POST.get("page"), draft.page if draft else 1), 1), last)
    action = request.POST.get("action", "")
    on_page = set(form.page_fields(page))
    posted = _answers_posted(request)
    assert posted is not None  # a POST, from here on
    data = QueryDict(mutable=True)
    for name, value in saved.items():
        if name not in on_page:
            data.setlist(name, value if isinstance(value, list) else [value])
    for name in on_page & set(posted):
        data.setlist(name, posted.getlist(name))
    merged = CheckInForm(data, parts=form.parts, language=form.language)
    valid = merged.is_valid()
    if set(posted) - on_page - {"csrfmiddlewaretoken"}:  # a field this page does not offer
        merged.add_error(None, TAMPERED)
        valid = False
    if not valid:
        return _render_page(request, link, actor, checkin, merged, page=page, version=version)
    if page == last and action != "back":
        return _submit(request, link, actor=actor, checkin=checkin, form=merged)
    target = max(page - 1, 1) if action == "back" else min(page + 1, last)
    try:
        services.checkin_draft_save(
            actor=actor,
            checkin=checkin,
            data=merged.draft_data(),
            page=target,
            version=_number(request.POST.get("version"), -1),
        )
    except services.DraftConflict:
        # Saved from another window since this page was shown: show what was saved there.
        latest = services.checkin_draft(checkin)
        shown = CheckInForm(
            parts=form.parts, language=form.language, initial=latest.data if latest else {}
        )
        return _render_page(
            request,
            link,
            actor,
            checkin,
            shown,
            page=min(latest.page, last) if latest else 1,
            version=latest.version if latest else 0,
            conflict=True,
        )
    return redirect("clients:client_home")


def _render_page(request, link, actor, checkin, form, *, page, version, conflict=False):
    client = client_queries.client_for_link(actor=actor, link=link)
    # Questions that answers on earlier pages hide (enableWhen, enableWhenExpression) are left
    # out of this page.
    known = form.draft_data() if form.is_bound else dict(form.initial)
    return render(
        request,
        "measures/client_checkin.html",
        {
            "form": form,
            "client": client,
            "blocks": form.blocks(page, hide=form.hidden_questions(page, known)),
            "paged": True,
            "page": page,
            "page_count": len(form.pages()),
            "version": version,
            "conflict": conflict,
            "expires_at": checkin.expires_at,
            "shown_in": shown_in_other_language(form),
        },
    )
