"""Writers append trail entries without a lock; a sealer chains them afterwards.

An entry is written with its own content hash and no place in the chain; the sealer gives it its
number and chain hashes in one UPDATE.  The database still refuses every other change: an entry
may be updated only from unsealed to sealed, with every other field as it was, and never deleted.
On SQLite, altering the table rebuilds it, which drops its triggers; they are made again after.
"""

from django.db import migrations, models

UNCHANGED = [
    "id", "at", "actor_id", "link_ref", "client_ref", "action", "object_type", "object_ref",
    "section", "detail", "flagged", "ip", "request_id", "content_hash",
]  # fmt: skip
ONLY_SEALING = (
    "OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.entry_hash <> '' AND NEW.prev_hash <> '' AND "
    + " AND ".join(f"NEW.{name} IS NOT DISTINCT FROM OLD.{name}" for name in UNCHANGED)
)

# The head's guard (0005) names the entries' table, so SQLite refuses to rebuild that table while
# the guard exists: it is dropped with the others and made again, unchanged.
HEAD_MOVES_FORWARD = """
    NEW.id <> OLD.id OR NEW.seq < OLD.seq OR (
        (NEW.seq <> OLD.seq OR NEW.entry_hash <> OLD.entry_hash)
        AND NOT EXISTS (
            SELECT 1 FROM access_accessevent
            WHERE seq = NEW.seq AND entry_hash = NEW.entry_hash
        )
    )
"""
SQLITE_HEAD_GUARD = f"""CREATE TRIGGER access_trail_head_forward BEFORE UPDATE ON access_trailhead
       WHEN {HEAD_MOVES_FORWARD}
       BEGIN SELECT RAISE(ABORT, 'the access trail head only moves forward'); END;"""
SQLITE_BEFORE = [
    "DROP TRIGGER IF EXISTS access_trail_no_update;",
    "DROP TRIGGER IF EXISTS access_trail_no_delete;",
    "DROP TRIGGER IF EXISTS access_trail_head_forward;",
]
SQLITE_AFTER = [
    f"""CREATE TRIGGER access_trail_no_update BEFORE UPDATE ON access_accessevent
       WHEN NOT ({ONLY_SEALING.replace("IS NOT DISTINCT FROM", "IS")})
       BEGIN SELECT RAISE(ABORT, 'the access trail is append-only'); END;""",
    """CREATE TRIGGER access_trail_no_delete BEFORE DELETE ON access_accessevent
       BEGIN SELECT RAISE(ABORT, 'the access trail is append-only'); END;""",
    SQLITE_HEAD_GUARD,
]
POSTGRES_AFTER = [
    f"""CREATE OR REPLACE FUNCTION access_trail_refuse_change() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND {ONLY_SEALING} THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'the access trail is append-only';
       END; $$ LANGUAGE plpgsql;""",
]
POSTGRES_REVERSE = [
    """CREATE OR REPLACE FUNCTION access_trail_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the access trail is append-only'; END; $$ LANGUAGE plpgsql;""",
]
SQLITE_REVERSE = [
    """CREATE TRIGGER access_trail_no_update BEFORE UPDATE ON access_accessevent
       BEGIN SELECT RAISE(ABORT, 'the access trail is append-only'); END;""",
    """CREATE TRIGGER access_trail_no_delete BEFORE DELETE ON access_accessevent
       BEGIN SELECT RAISE(ABORT, 'the access trail is append-only'); END;""",
    SQLITE_HEAD_GUARD,
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0006_anonymous_failure_tally"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_BEFORE}), _run({"sqlite": SQLITE_REVERSE}), elidable=False
        ),
        migrations.AlterModelOptions(
            name="accessevent",
            options={"get_latest_by": "id", "ordering": ["id"]},
        ),
        migrations.RemoveIndex(
            model_name="accessevent",
            name="trail_by_client",
        ),
        migrations.RemoveIndex(
            model_name="accessevent",
            name="trail_by_actor",
        ),
        migrations.AddField(
            model_name="accessevent",
            name="content_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="accessevent",
            name="entry_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="accessevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="accessevent",
            name="seq",
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AddIndex(
            model_name="accessevent",
            index=models.Index(fields=["client_ref", "id"], name="trail_by_client_id"),
        ),
        migrations.AddIndex(
            model_name="accessevent",
            index=models.Index(fields=["actor", "id"], name="trail_by_actor_id"),
        ),
        migrations.AddIndex(
            model_name="accessevent",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)), fields=["id"], name="trail_awaiting_seal"
            ),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_AFTER, "postgresql": POSTGRES_AFTER}),
            _run({"sqlite": SQLITE_BEFORE, "postgresql": POSTGRES_REVERSE}),
            elidable=False,
        ),
    ]
