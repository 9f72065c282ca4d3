"""Release every supervisor's humility feedback for half-years that have ended (daily, cron).

Each period is released once; running it again changes nothing.  Supervisors opening their
results page release their own periods the same way, so this command only makes it prompt.
"""

from django.core.management.base import BaseCommand

from attune.access.actor import Actor
from attune.access.models import Role, StaffUser
from attune.supervision.services import feedback_release_due


class Command(BaseCommand):
    help = "Release humility feedback for closed half-years (held when fewer than three answered)."

    def handle(self, *args, **options):
        actor = Actor.system()
        for supervisor in StaffUser.objects.filter(role=Role.SUPERVISOR).order_by("pk"):
            releases = feedback_release_due(actor=actor, supervisor=supervisor)
            self.stdout.write(f"{supervisor.username}: {len(releases)} periods released or held.")
