"""Re-encrypt every encrypted field, in every app, under the newest key in ATTUNE_FIELD_KEYS."""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from attune.clients.encrypted import EncryptedTextField, reencrypt


def encrypted_columns():
    """Yield (model, [column, ...]) for every model with encrypted fields."""
    for model in apps.get_models():
        columns = [f.column for f in model._meta.fields if isinstance(f, EncryptedTextField)]
        if columns:
            yield model, columns


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the first key of ATTUNE_FIELD_KEYS."

    def handle(self, *args, **options):
        # Tokens are read and written as stored text, so nothing is decrypted longer than one
        # rotation and no auto-updated timestamp changes.
        quote = connection.ops.quote_name
        with transaction.atomic():
            for model, names in encrypted_columns():
                table = quote(model._meta.db_table)
                pk = quote(model._meta.pk.column)
                columns = ", ".join(quote(name) for name in names)
                assignments = ", ".join(f"{quote(name)} = %s" for name in names)
                done = 0
                with connection.cursor() as reader:
                    reader.execute(f"SELECT {pk}, {columns} FROM {table}")  # noqa: S608
                    rows = reader.fetchall()
                with connection.cursor() as writer:
                    for key, *tokens in rows:
                        writer.execute(
                            f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                            [*(reencrypt(token) for token in tokens), key],
                        )
                        done += 1
                self.stdout.write(f"{model._meta.label}: re-encrypted {done} rows.")
        # The phone index may be keyed from the field keys (no ATTUNE_PHONE_INDEX_KEYS): bring
        # it under the newest key too, so a retired key is no longer needed to find a number.
        call_command("phone_index_rebuild", stdout=self.stdout)
