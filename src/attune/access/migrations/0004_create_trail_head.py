"""Create the trail's single head row, so writers only ever lock it and never race to create it."""

from django.db import migrations

GENESIS_HASH = "0" * 64


def create_head(apps, schema_editor):
    apps.get_model("access", "TrailHead").objects.get_or_create(
        pk=1, defaults={"seq": 0, "entry_hash": GENESIS_HASH}
    )


class Migration(migrations.Migration):
    dependencies = [("access", "0003_make_trail_append_only")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
