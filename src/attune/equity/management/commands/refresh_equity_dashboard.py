"""Compute the equity dashboard's figures; run it from cron, e.g. nightly."""

from django.core.management.base import BaseCommand

from attune.equity.dashboard_figures import refresh_figures


class Command(BaseCommand):
    help = "Compute the sums every view of the equity dashboard reads, for every episode."

    def handle(self, *args, **options):
        refresh = refresh_figures()
        self.stdout.write(
            f"{refresh.n_episodes} episodes, {refresh.n_cells} cells, {refresh.seconds:.1f} s"
        )
