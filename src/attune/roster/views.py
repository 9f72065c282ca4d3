"""The leader's import pages: upload a file, see what it would change, confirm to apply it."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from attune.access.actor import Actor
from attune.roster import services
from attune.roster.forms import UPLOAD_LIMIT_LABEL, ImportApplyForm, ImportUploadForm
from attune.roster.models import BatchStatus, ImportBatch
from attune.roster.reading import FileProblem

RECENT_BATCHES = 10


def _require_leader(request) -> None:
    if not request.user.has_perm("roster.import_files"):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    _require_leader(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.preview(
                    leader=request.user,
                    kind=form.cleaned_data["kind"],
                    data=upload.read(),
                    filename=upload.name,
                    source="page",
                    keep_content=True,
                    actor=Actor.from_request(request),
                )
            except FileProblem as error:
                form.add_error("file", str(error))
            else:
                return redirect("roster:batch", batch_id=result.batch.pk)
        status = 400
    recent = ImportBatch.objects.select_related("leader")[:RECENT_BATCHES]
    return render(
        request,
        "roster/import.html",
        {"form": form, "recent": recent, "limit": UPLOAD_LIMIT_LABEL},
        status=status,
    )


@login_required
def import_batch(request, batch_id: int):
    _require_leader(request)
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    report = batch.report or {}
    rows = report.get("rows", [])
    context = {
        "batch": batch,
        "counts": report.get("counts", {}),
        "notes": report.get("notes", []),
        "rows": rows,
        "conflicts": [row for row in rows if row["conflicts"]],
        "can_apply": batch.status == BatchStatus.PREVIEWED and bool(batch.content),
        "apply_form": ImportApplyForm(),
    }
    return render(request, "roster/batch.html", context)


@login_required
@require_POST
def import_apply(request, batch_id: int):
    _require_leader(request)
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    if batch.status != BatchStatus.PREVIEWED or not batch.content:
        messages.error(
            request,
            "This import has no file waiting to be applied (it was applied already, or read by "
            "the command); upload the file again to check it anew.",
        )
        return redirect("roster:batch", batch_id=batch.pk)
    form = ImportApplyForm(request.POST)
    form.is_valid()
    try:
        result = services.apply(
            leader=request.user,
            kind=batch.kind,
            data=base64.b64decode(batch.content),
            filename=batch.filename,
            source="page",
            skip_rejected=form.cleaned_data.get("skip_rejected", False),
            batch=batch,
            actor=Actor.from_request(request),
        )
    except (services.ImportRefused, FileProblem) as error:
        messages.error(request, str(error))
        return redirect("roster:batch", batch_id=batch.pk)
    messages.success(request, f"Applied: {result.plan.summary()}.")
    return redirect("roster:batch", batch_id=batch.pk)
