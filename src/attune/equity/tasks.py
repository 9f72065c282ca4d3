"""The equity dashboard's background task: computing its figures in the worker."""

from __future__ import annotations

from django_tasks import task

from attune.equity.dashboard_figures import refresh_figures
from attune.equity.models import DashboardRefresh, RefreshStatus


@task()
def refresh_dashboard(refresh_id: int) -> bool:
    """Compute the dashboard's figures for a refresh a leader asked for; False if gone."""
    refresh = DashboardRefresh.objects.filter(pk=refresh_id, status=RefreshStatus.QUEUED).first()
    if refresh is None:
        return False
    refresh_figures(refresh)
    return True
