"""Refuse UPDATE and DELETE on the access trail in the database itself, not only in Python."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER access_trail_no_update BEFORE UPDATE ON access_accessevent
       BEGIN SELECT RAISE(ABORT, 'the access trail is append-only'); END;""",
    """CREATE TRIGGER access_trail_no_delete BEFORE DELETE ON access_accessevent
       BEGIN SELECT RAISE(ABORT, 'the access trail is append-only'); END;""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION access_trail_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the access trail is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER access_trail_no_change BEFORE UPDATE OR DELETE ON access_accessevent
       FOR EACH ROW EXECUTE FUNCTION access_trail_refuse_change();""",
]
REVERSE = {
    "sqlite": ["DROP TRIGGER access_trail_no_update;", "DROP TRIGGER access_trail_no_delete;"],
    "postgresql": [
        "DROP TRIGGER access_trail_no_change ON access_accessevent;",
        "DROP FUNCTION access_trail_refuse_change();",
    ],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}), _run(REVERSE), elidable=False
        )
    ]
