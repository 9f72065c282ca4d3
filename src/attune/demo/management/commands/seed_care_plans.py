"""Give the demo agency invented treatment plans and cultural adaptations."""

from django.core.management.base import BaseCommand

from attune.demo.care_plans import seed_care_plans


class Command(BaseCommand):
    help = "Add invented treatment plans (one due for review today) and cultural adaptations."

    def handle(self, *args, **options) -> None:
        added = seed_care_plans()
        self.stdout.write(f"Added treatment plans for {added} clients.")
