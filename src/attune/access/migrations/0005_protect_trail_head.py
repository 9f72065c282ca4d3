"""Let the trail's head row only move forward, onto an entry that exists; never remove it.

The entries already refuse UPDATE and DELETE (0003).  Without the same guard on the head, an
insider could cut the tail of the chain and set the head back to match.  The head may change only
to a later sequence number whose entry is in the trail with exactly that hash.
"""

from django.db import migrations

HEAD_MOVES_FORWARD = """
    NEW.id <> OLD.id OR NEW.seq < OLD.seq OR (
        (NEW.seq <> OLD.seq OR NEW.entry_hash <> OLD.entry_hash)
        AND NOT EXISTS (
            SELECT 1 FROM access_accessevent
            WHERE seq = NEW.seq AND entry_hash = NEW.entry_hash
        )
    )
"""

SQLITE = [
    f"""CREATE TRIGGER access_trail_head_forward BEFORE UPDATE ON access_trailhead
       WHEN {HEAD_MOVES_FORWARD}
       BEGIN SELECT RAISE(ABORT, 'the access trail head only moves forward'); END;""",
    """CREATE TRIGGER access_trail_head_no_delete BEFORE DELETE ON access_trailhead
       BEGIN SELECT RAISE(ABORT, 'the access trail head cannot be removed'); END;""",
]
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION access_trail_head_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           RAISE EXCEPTION 'the access trail head cannot be removed';
         END IF;
         IF {HEAD_MOVES_FORWARD} THEN
           RAISE EXCEPTION 'the access trail head only moves forward';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER access_trail_head_guard BEFORE UPDATE OR DELETE ON access_trailhead
       FOR EACH ROW EXECUTE FUNCTION access_trail_head_guard();""",
]
REVERSE = {
    "sqlite": [
        "DROP TRIGGER access_trail_head_forward;",
        "DROP TRIGGER access_trail_head_no_delete;",
    ],
    "postgresql": [
        "DROP TRIGGER access_trail_head_guard ON access_trailhead;",
        "DROP FUNCTION access_trail_head_guard();",
    ],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("access", "0004_create_trail_head")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}), _run(REVERSE), elidable=False
        )
    ]
