"""Compute the equity dashboard's figures; run it from cron, e.g. nightly."""

from django.core.management.base import BaseCommand

from attune.equity.dashboard_figures import refresh_figures


class Command(BaseCommand):
    help = "Compute the sums every view of the equity dashboard reads, for every episode."

    def handle(self, *args, **options):
        refresh = refresh_figures()
        self.stdout.write(
            f"Equity dashboard: figures computed for {refresh.n_episodes:,} episodes "
            f"({refresh.n_cells:,} groups) in {refresh.seconds:.1f} s."
        )
