"""Re-encrypt every encrypted field under the newest key in ATTUNE_FIELD_KEYS."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from attune.clients.encrypted import EncryptedTextField, reencrypt
from attune.clients.models import Client


class Command(BaseCommand):
    help = "Re-encrypt clients' personal fields under the first key of ATTUNE_FIELD_KEYS."

    def handle(self, *args, **options):
        # Tokens are read and written as stored text, so nothing is decrypted into memory
        # longer than one rotation and updated_at is left as it was.
        names = [f.column for f in Client._meta.fields if isinstance(f, EncryptedTextField)]
        quote = connection.ops.quote_name
        table = quote(Client._meta.db_table)
        columns = ", ".join(quote(name) for name in names)
        assignments = ", ".join(f"{quote(name)} = %s" for name in names)
        done = 0
        with transaction.atomic(), connection.cursor() as reader:
            reader.execute(f"SELECT id, {columns} FROM {table}")  # noqa: S608 - names are ours
            rows = reader.fetchall()
            with connection.cursor() as writer:
                for pk, *tokens in rows:
                    writer.execute(
                        f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
                        [*(reencrypt(token) for token in tokens), pk],
                    )
                    done += 1
        self.stdout.write(f"Re-encrypted {done} client records.")
