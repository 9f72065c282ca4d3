"""``attune backup`` and ``attune restore``: a consistent snapshot of the database, sealed.

The archive is a tar stream sealed with ``ATTUNE_BACKUP_KEY`` (``sealed.py``), holding:

* ``manifest.json``: the schema (latest applied migration of each app), the row count of every
  table and the trail's head, all read from the same snapshot as the data;
* ``database/attune.sqlite3`` (SQLite's online backup API) or ``database/attune.pgdump``
  (``pg_dump --format=custom`` of an exported snapshot, the one the manifest was counted in);
* ``media/…``: uploaded files under ``MEDIA_ROOT``, if there are any.

The database is copied as it is stored, so encrypted fields stay encrypted: the backup never
holds a client's words in the clear, and restoring it needs the same field keys.

Restore refuses, in one line, a file it cannot open, a schema newer than this code, a backup of
the other database engine and a database that is not empty.  After restoring it checks the trail
chain and compares every table's row count with the manifest.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.utils import timezone

from attune.operations.sealed import SealedReader, SealedWriter, SealError, key_bytes

FORMAT = "attune-backup 1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/attune.sqlite3"
POSTGRES_MEMBER = "database/attune.pgdump"
MEDIA_PREFIX = "media/"


class BackupError(Exception):
    """A backup or restore was refused or failed; the message is the one line the operator reads."""


@dataclass
class Manifest:
    database: str
    schema: dict[str, str]
    rows: dict[str, int]
    trail_head: dict
    created: str = ""
    media_files: int = 0

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "created": self.created,
            "database": self.database,
            "schema": self.schema,
            "rows": self.rows,
            "trail_head": self.trail_head,
            "media_files": self.media_files,
        }
        return json.dumps(document, indent=2, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        document = json.loads(raw)
        if document.get("format") != FORMAT:
            raise BackupError(f"the backup's format {document.get('format')!r} is not {FORMAT!r}")
        return cls(
            database=document["database"],
            schema=document["schema"],
            rows=document["rows"],
            trail_head=document["trail_head"],
            created=document.get("created", ""),
            media_files=document.get("media_files", 0),
        )

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass
class RestoreReport:
    manifest: Manifest
    trail_ok: bool
    trail_problem: str
    trail_entries: int
    count_mismatches: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.trail_ok and not self.count_mismatches


def _backup_key() -> str:
    key = settings.ATTUNE_BACKUP_KEY
    if not key:
        raise BackupError("ATTUNE_BACKUP_KEY is not set; set it (or ATTUNE_BACKUP_KEY_FILE)")
    try:
        key_bytes(key)
    except SealError as error:
        raise BackupError(str(error)) from None
    return key


def _vendor() -> str:
    vendor = connections["default"].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


# --- Reading a snapshot: the same three questions on either engine ------------------------------


def _describe(cursor, tables: list[str], quote) -> tuple[dict, dict, dict]:
    """Return (schema, rows, trail head) as seen by ``cursor``'s snapshot."""
    rows = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from the catalogue
        rows[table] = cursor.fetchone()[0]
    schema: dict[str, str] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            schema[app] = name
    head = {"seq": 0, "hash": "0" * 64}
    if "access_trailhead" in tables:
        cursor.execute("SELECT seq, entry_hash FROM access_trailhead WHERE id = 1")
        found = cursor.fetchone()
        if found:
            head = {"seq": found[0], "hash": found[1]}
    return schema, rows, head


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    found = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in found]


def _sqlite_describe(path: Path) -> tuple[dict, dict, dict]:
    with sqlite3.connect(path) as connection:
        return _describe(connection.cursor(), _sqlite_tables(connection), _sqlite_quote)


def _snapshot_sqlite(target: Path) -> Manifest:
    name = Path(settings.DATABASES["default"]["NAME"])
    if not name.is_file():
        raise BackupError(f"there is no database at {name}")
    source = sqlite3.connect(name)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)  # one step: a consistent copy, even while others write
    finally:
        destination.close()
        source.close()
    schema, rows, head = _sqlite_describe(target)
    return Manifest("sqlite", schema, rows, head)


def _pg_environment() -> dict[str, str]:
    """Return the environment that points libpq tools (pg_dump, pg_restore) at the database."""
    database = settings.DATABASES["default"]
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _pg_connect():
    import psycopg

    database = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        autocommit=True,  # the snapshot's transaction is begun and ended explicitly
    )


def _pg_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
        "'information_schema')"
    )
    return [row[0] for row in cursor.fetchall()]


def _pg_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _snapshot_postgres(target: Path) -> Manifest:
    """Count the rows and dump the data from one exported snapshot, so they agree."""
    with _pg_connect() as connection, connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        schema, rows, head = _describe(cursor, _pg_tables(cursor), _pg_quote)
        command = [
            "pg_dump",
            "--format=custom",
            f"--snapshot={snapshot}",
            f"--file={target}",
        ]
        done = subprocess.run(  # noqa: S603 - fixed program, arguments are ours
            command, env=_pg_environment(), capture_output=True, text=True, check=False
        )
        cursor.execute("COMMIT")
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {_first_line(done.stderr)}")
    return Manifest("postgresql", schema, rows, head)


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "no message"


# --- Backup ------------------------------------------------------------------------------------


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found.append((path, MEDIA_PREFIX + path.relative_to(root).as_posix()))
    return found


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def backup(destination: Path) -> Manifest:
    """Write a sealed backup of the database (and uploaded files) to ``destination``.

    The access trail is sealed first, so the backup's chain head covers what was written before.
    """
    from attune.access.trail import seal

    key = _backup_key()
    seal()
    vendor = _vendor()
    destination = Path(destination)
    partial = destination.with_name(destination.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="attune-backup-") as work:  # mode 0700
        if vendor == "sqlite":
            snapshot, member = Path(work) / "attune.sqlite3", SQLITE_MEMBER
            manifest = _snapshot_sqlite(snapshot)
        else:
            snapshot, member = Path(work) / "attune.pgdump", POSTGRES_MEMBER
            manifest = _snapshot_postgres(snapshot)
        media = _media_files()
        manifest.media_files = len(media)
        manifest.created = timezone.now().isoformat(timespec="seconds")
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as error:
            raise BackupError(f"cannot write {partial} ({error.strerror})") from None
        try:
            with os.fdopen(descriptor, "wb") as raw:
                sealed = SealedWriter(raw, key)
                with tarfile.open(fileobj=sealed, mode="w|", format=tarfile.PAX_FORMAT) as archive:
                    _add_bytes(archive, MANIFEST, manifest.to_json())
                    archive.add(snapshot, arcname=member, recursive=False)
                    for path, name in media:
                        archive.add(path, arcname=name, recursive=False)
                sealed.close()
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, destination)
        except BaseException:
            partial.unlink(missing_ok=True)  # never leave half a backup behind
            raise
    return manifest


# --- Restore -----------------------------------------------------------------------------------


def _check_schema(manifest: Manifest) -> None:
    """Refuse a backup whose latest migration of some app this code does not have."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    for app, name in sorted(manifest.schema.items()):
        if (app, name) not in known:
            raise BackupError(
                f"the backup's schema is newer than this Attune ({app} {name} is unknown here); "
                "restore it with the version that made it"
            )


def _check_empty() -> None:
    connection = connections["default"]
    if connection.vendor == "sqlite":  # a new installation may not have its folder yet
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"the database is not empty ({len(tables)} tables); "
            "restore only into a new, empty database"
        )
    connection.close()


def _safe_media_path(name: str) -> Path:
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"the backup holds a file with an unsafe name: {name!r}")
    return Path(settings.MEDIA_ROOT).joinpath(*relative.parts)


def _copy_member(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    source = archive.extractfile(member)
    if source is None:
        raise BackupError(f"the backup's {member.name} is not a file")
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        shutil.copyfileobj(source, out, 1024 * 1024)


def _restore_sqlite(snapshot: Path) -> None:
    target = settings.DATABASES["default"]["NAME"]
    source = sqlite3.connect(snapshot)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()


def _restore_postgres(snapshot: Path) -> None:
    command = [
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={settings.DATABASES['default']['NAME']}",
        str(snapshot),
    ]
    done = subprocess.run(  # noqa: S603 - fixed program, arguments are ours
        command, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {_first_line(done.stderr)}")


def _current_counts(tables: list[str]) -> dict[str, int]:
    connection = connections["default"]
    quote = connection.ops.quote_name
    present = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table not in present:
                counts[table] = -1
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def check_restored(manifest: Manifest) -> RestoreReport:
    """Verify the trail chain and compare each table's row count with the manifest."""
    from attune.access.trail import verify

    connections.close_all()
    result = verify()
    report = RestoreReport(manifest, result.ok, result.problem, result.checked)
    head = manifest.trail_head
    if result.ok and (result.sealed != head["seq"] or result.head_hash != head["hash"]):
        report.trail_ok = False
        report.trail_problem = (
            f"the trail ends at #{result.sealed}, the manifest's at #{head['seq']}"
        )
    counts = _current_counts(sorted(manifest.rows))
    for table, expected in sorted(manifest.rows.items()):
        if counts[table] != expected:
            found = "missing" if counts[table] < 0 else counts[table]
            report.count_mismatches.append(f"{table}: {found} rows, manifest says {expected}")
    return report


def read_manifest(source: Path) -> Manifest:
    """Open ``source`` with the backup key and return its manifest (for checking a backup)."""
    key = _backup_key()
    with open(source, "rb") as raw:
        try:
            archive = tarfile.open(fileobj=SealedReader(raw, key), mode="r|")
            member = archive.next()
            if member is None or member.name != MANIFEST:
                raise BackupError("the backup has no manifest first")
            return Manifest.from_json(archive.extractfile(member).read())
        except SealError as error:
            raise BackupError(str(error)) from None


def restore(source: Path) -> RestoreReport:
    """Restore the backup in ``source`` into the empty configured database, then check it."""
    started = time.monotonic()
    key = _backup_key()
    vendor = _vendor()
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"there is no backup file at {source}")
    with open(source, "rb") as raw, tempfile.TemporaryDirectory(prefix="attune-restore-") as work:
        try:
            archive = tarfile.open(fileobj=SealedReader(raw, key), mode="r|")
            member = archive.next()
            if member is None or member.name != MANIFEST:
                raise BackupError("the backup has no manifest first")
            manifest = Manifest.from_json(archive.extractfile(member).read())
            if manifest.database != vendor:
                raise BackupError(
                    f"this backup is of a {manifest.database} database and the configured one "
                    f"is {vendor}; restore it into the same kind"
                )
            _check_schema(manifest)
            _check_empty()
            snapshot = None
            for member in archive:
                if member.name in (SQLITE_MEMBER, POSTGRES_MEMBER) and member.isfile():
                    snapshot = Path(work) / PurePosixPath(member.name).name
                    _copy_member(archive, member, snapshot)
                elif member.name.startswith(MEDIA_PREFIX) and member.isfile():
                    _copy_member(archive, member, _safe_media_path(member.name))
        except SealError as error:
            raise BackupError(str(error)) from None
        except tarfile.TarError as error:
            raise BackupError(f"the backup's contents are unreadable ({error})") from None
        if snapshot is None:
            raise BackupError("the backup holds no database")
        connections.close_all()
        if vendor == "sqlite":
            _restore_sqlite(snapshot)
        else:
            _restore_postgres(snapshot)
    report = check_restored(manifest)
    report.seconds = time.monotonic() - started
    return report
