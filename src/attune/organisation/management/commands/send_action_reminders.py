"""Email owners about their action items that are overdue or due within a week (cron-able)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from attune.organisation.services import action_item_reminders_send


class Command(BaseCommand):
    help = "Remind owners of open action items that are overdue or due within a week."

    def handle(self, *args, **options) -> None:
        sent = action_item_reminders_send(now=timezone.now())
        self.stdout.write(f"reminded {sent.owners} owners about {sent.reminded} action items")
