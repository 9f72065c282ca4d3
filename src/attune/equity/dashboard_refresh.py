"""A leader asks for new dashboard figures: one refresh queued for the worker at a time."""

from __future__ import annotations

from django.db import transaction

from attune.access.actor import Actor
from attune.equity.dashboard_figures import pending_refresh
from attune.equity.models import DashboardRefresh
from attune.equity.tasks import refresh_dashboard


def request_refresh(*, actor: Actor) -> tuple[DashboardRefresh, bool]:
    """Queue a refresh for the worker, unless one is already queued or running.

    Return the refresh on its way and whether this call queued it.
    """
    with transaction.atomic():
        pending = pending_refresh()
        if pending is not None:
            return pending, False
        refresh = DashboardRefresh.objects.create(requested_by=actor.user)
        transaction.on_commit(lambda: refresh_dashboard.enqueue(refresh.pk))
    return refresh, True
