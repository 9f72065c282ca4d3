"""Re-index every client's phone under the newest key of ATTUNE_PHONE_INDEX_KEYS."""

from django.core.management.base import BaseCommand

from attune.clients.phone_index import phone_index_rebuild


class Command(BaseCommand):
    help = (
        "Re-index every client's phone number under the newest key of ATTUNE_PHONE_INDEX_KEYS "
        "(after adding a key; then the old key can go)."
    )

    def handle(self, *args, **options):
        read, changed = phone_index_rebuild()
        self.stdout.write(f"Phone index: {read} clients read, {changed} re-indexed.")
