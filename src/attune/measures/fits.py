"""Fitting the expected-response model on the agency's history, and reading the fit in use.

The fit reads only numbers from the stored responses (which client, in what order, what total),
hands them to the pure engine (``expected_response``), and stores the result as a new version of
``ExpectedResponseFit``: sample sizes and quantiles of change, nothing that names a client or a
therapist.  It runs in the task worker (``fit_expected_response``) or from
``attune measures fit-expected``; the run is recorded in the trail.
"""

from __future__ import annotations

import time

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction
from attune.measures import expected_response as engine
from attune.measures.models import ExpectedResponseFit, Response

# Rows read from the database at a time while fitting.
CHUNK = 20_000


def history_arrays(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return one instrument's history as (client ids, order, totals), oldest first per client."""
    rows = (
        Response.objects.filter(instrument__name=name)
        .order_by("client_id", "submitted_at", "pk")
        .values_list("client_id", "total")
    )
    clients, totals = [], []
    for client_id, total in rows.iterator(chunk_size=CHUNK):
        clients.append(client_id)
        totals.append(np.nan if total is None else total)
    client_array = np.asarray(clients, dtype=np.int64)
    return client_array, np.arange(client_array.size), np.asarray(totals, dtype=float)


def fit_expected(
    *, actor: Actor, settings: engine.FitSettings = engine.DEFAULT_SETTINGS
) -> ExpectedResponseFit:
    """Fit every instrument the model knows on the stored history and store a new version."""
    started = time.perf_counter()
    fits = {}
    for name, spec in engine.SPECS.items():
        clients, order, totals = history_arrays(name)
        fits[name] = engine.fit(spec, clients, order, totals, settings)
    seconds = time.perf_counter() - started
    with transaction.atomic():
        latest = ExpectedResponseFit.objects.select_for_update().aggregate(Max("version"))
        stored = ExpectedResponseFit.objects.create(
            version=(latest["version__max"] or 0) + 1,
            fitted_at=timezone.now(),
            model=f"{engine.MODEL} v{engine.MODEL_VERSION}",
            sample_sizes={
                name: {
                    "clients": result.clients,
                    "scores": result.scores,
                    "fitted_bands": sum(band.fitted for band in result.bands),
                    "bands": len(result.bands),
                }
                for name, result in fits.items()
            },
            parameters={"instruments": {name: result.as_json() for name, result in fits.items()}},
            seconds=round(seconds, 3),
        )
        trail.record(
            actor=actor,
            action=TrailAction.CREATE,
            object_type="expected_response_fit",
            object_ref=stored.version,
            section="measures",
            detail="expected response fitted: "
            + "; ".join(
                f"{name} {sizes['clients']} clients, "
                f"{sizes['fitted_bands']} of {sizes['bands']} bands fitted"
                for name, sizes in stored.sample_sizes.items()
            ),
        )
    return stored


def latest_fit() -> ExpectedResponseFit | None:
    """Return the fit in use (the latest version), or None before the first fit: one query."""
    return ExpectedResponseFit.objects.order_by("-version").first()


def latest_fits() -> dict[str, engine.InstrumentFit]:
    """Return the fit in use by instrument name ({} before the first fit)."""
    stored = latest_fit()
    return engine.fits_from_json(stored.parameters if stored else None)


@task()
def fit_expected_response() -> int:
    """Fit the expected-response model in the task worker; return the new version."""
    return fit_expected(actor=Actor.system()).version
