"""Issue and send the check-ins that schedules have due; run it from cron, e.g. hourly."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from attune.access.actor import Actor
from attune.measures.services import checkin_drafts_purge, scheduled_checkins_due


class Command(BaseCommand):
    help = (
        "Send every scheduled check-in due today or earlier, once each, and delete the saved "
        "drafts of check-ins that expired. Safe to run twice or at the same time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=None,
            help="the address clients reach Attune at (default: ATTUNE_BASE_URL)",
        )

    def handle(self, *args, base_url=None, **options):
        base_url = base_url or settings.ATTUNE_BASE_URL
        if not base_url.startswith(("https://", "http://")):
            raise CommandError(
                "Set ATTUNE_BASE_URL (or pass --base-url) to the address clients open, "
                "e.g. https://attune.example.org/"
            )
        actor = Actor.system()
        sent = scheduled_checkins_due(actor=actor, base_url=base_url)
        purged = checkin_drafts_purge(actor=actor)
        self.stdout.write(f"{sent} scheduled check-in(s) sent; {purged} expired draft(s) deleted")
