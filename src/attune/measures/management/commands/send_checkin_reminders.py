"""Remind clients once about unanswered check-ins; run it from cron, e.g. hourly."""

from django.core.management.base import BaseCommand

from attune.access.actor import Actor
from attune.measures.services import checkin_reminders_due


class Command(BaseCommand):
    help = (
        "Remind clients once about check-ins still unanswered after ATTUNE_CHECKIN_REMINDER_HOURS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--after-hours", type=int, default=None)

    def handle(self, *args, after_hours=None, **options):
        sent = checkin_reminders_due(actor=Actor.system(), after_hours=after_hours)
        self.stdout.write(f"{sent} reminder(s) sent")
