"""``attune backup`` and ``attune restore`` as an operator runs them, on SQLite and PostgreSQL.

Each engine gets a source database with a small synthetic agency and a canary client whose name
must never appear in the clear in the backup; the backup is restored into a new, empty database.
PostgreSQL runs when the tests do (DATABASE_URL=postgres://…), in two databases of its own.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db.migrations.loader import MigrationLoader

from attune.operations import sealed

CANARY = "Quillon Vantasque-Marrow"
ADD_CANARY = f"""
from attune.access.actor import Actor
from attune.access.models import StaffUser
from attune.clients.services import client_create
client_create(actor=Actor.system(), therapist=StaffUser.objects.filter(role="therapist").first(),
              chosen_name={CANARY!r}, legal_name={CANARY!r} + " Legal", pronouns="they/them")
"""


@dataclass
class Side:
    env: dict

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "attune.cli", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=300,
        )


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[0] if url.startswith("postgres") else ""


def _psql(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, tmp_path_factory):
    """Yield a function making Sides (source, fresh targets) on one engine, and clean up."""
    server = _server_url()
    if request.param == "postgresql" and not server:
        pytest.skip("PostgreSQL runs with DATABASE_URL=postgres://…")
    keys = {
        "ATTUNE_AUTOGENERATE_SECRETS": "false",
        "ATTUNE_SECRET_KEY": "drill-" + uuid.uuid4().hex * 2,
        "ATTUNE_FIELD_KEYS": Fernet.generate_key().decode(),
        "ATTUNE_BACKUP_KEY": Fernet.generate_key().decode(),
        "ATTUNE_TRAIL_CHECKPOINT_KEY": uuid.uuid4().hex,
    }
    created: list[str] = []

    def side(**extra) -> Side:
        var_dir = tmp_path_factory.mktemp("var")
        env = {**os.environ, **keys, "ATTUNE_VAR_DIR": str(var_dir), "DATABASE_URL": ""}
        if request.param == "postgresql":
            name = f"attune_backup_test_{uuid.uuid4().hex[:10]}"
            _psql(server, f"CREATE DATABASE {name}")
            created.append(name)
            env["DATABASE_URL"] = f"{server}/{name}"
        env.update(extra)
        return Side(env)

    side.vendor = request.param
    yield side
    for name in created:
        _psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def backed_up(engine, tmp_path_factory):
    """A seeded source, a checkpoint of its trail, and its backup file."""
    source = engine()
    seeded = source.run("demo", "--no-serve", "--clients", "3", "--therapists", "2")
    assert seeded.returncode == 0, seeded.stderr
    assert source.run("manage", "shell", "-c", ADD_CANARY).returncode == 0
    checkpoint = source.run("trail", "checkpoint")
    assert checkpoint.returncode == 0, checkpoint.stderr
    folder = tmp_path_factory.mktemp("backup")
    (folder / "checkpoints.txt").write_text(checkpoint.stdout)
    made = source.run("backup", str(folder / "agency.backup"))
    assert made.returncode == 0, made.stderr
    return source, folder


def _open(path: Path, key: str) -> tarfile.TarFile:
    blob = path.read_bytes()
    return tarfile.open(fileobj=io.BytesIO(sealed_open(blob, key)), mode="r:")


def sealed_open(blob: bytes, key: str) -> bytes:
    return sealed.SealedReader(io.BytesIO(blob), key).read()


def test_a_backup_restores_into_an_empty_database_with_trail_and_counts(engine, backed_up):
    _, folder = backed_up
    target = engine()
    restored = target.run("restore", str(folder / "agency.backup"))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "as the manifest says; trail verified" in restored.stdout
    verified = target.run("trail", "verify", "--checkpoint", str(folder / "checkpoints.txt"))
    assert verified.returncode == 0, verified.stdout
    assert "passes through 1 kept checkpoint" in verified.stdout
    shown = target.run(
        "manage",
        "shell",
        "-c",
        "from attune.clients.models import Client; "
        f"print('canary', any(c.chosen_name == {CANARY!r} for c in Client.objects.all()))",
    )
    assert "canary True" in shown.stdout  # readable again with the same field keys


def test_the_archive_is_encrypted_and_keeps_fields_encrypted(engine, backed_up):
    source, folder = backed_up
    blob = (folder / "agency.backup").read_bytes()
    assert CANARY.encode() not in blob
    assert b"manifest" not in blob  # even the archive's structure is sealed
    with _open(folder / "agency.backup", source.env["ATTUNE_BACKUP_KEY"]) as archive:
        names = archive.getnames()
        assert names[0] == "manifest.json"
        manifest = json.loads(archive.extractfile("manifest.json").read())
        database = archive.extractfile(names[1]).read()
    assert manifest["database"] == engine.vendor
    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert manifest["schema"]["access"] == loader.graph.leaf_nodes("access")[0][1]
    assert manifest["rows"]["clients_client"] == 4
    assert manifest["trail_head"]["seq"] == manifest["rows"]["access_accessevent"]
    assert CANARY.encode() not in database  # the dump holds the field's ciphertext only


def test_a_wrong_key_a_newer_schema_and_a_full_database_are_refused(engine, backed_up):
    source, folder = backed_up
    backup = str(folder / "agency.backup")
    wrong = engine(ATTUNE_BACKUP_KEY=Fernet.generate_key().decode()).run("restore", backup)
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == (
        "attune restore: the backup key does not open this file "
        "(set ATTUNE_BACKUP_KEY to the key it was made with)"
    )

    newer = folder / "newer.backup"
    _rewrite_schema(folder / "agency.backup", newer, source.env["ATTUNE_BACKUP_KEY"])
    refused = engine().run("restore", str(newer))
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1
    assert "newer than this Attune (access 0099_from_the_future is unknown here)" in refused.stderr

    full = source.run("restore", backup)
    assert full.returncode == 2
    assert "the database is not empty" in full.stderr
    assert source.run("trail", "verify").returncode == 0  # and nothing was changed


def test_no_backup_without_a_backup_key(engine, backed_up, tmp_path):
    source, _ = backed_up
    env = {**source.env, "ATTUNE_BACKUP_KEY": ""}
    refused = Side(env).run("backup", str(tmp_path / "x.backup"))
    assert refused.returncode == 2
    assert "ATTUNE_BACKUP_KEY is not set" in refused.stderr
    malformed = Side({**source.env, "ATTUNE_BACKUP_KEY": "short"}).run(
        "backup", str(tmp_path / "x")
    )
    assert malformed.returncode == 2
    assert malformed.stderr.strip().endswith(
        "must be 32 bytes in url-safe base64 (like a field key)"
    )
    assert not list(tmp_path.iterdir())  # no backup, and no half of one


def _rewrite_schema(original: Path, copy: Path, key: str) -> None:
    """Write ``copy``: ``original`` with a migration this code has never heard of."""
    with _open(original, key) as archive:
        members = [(m, archive.extractfile(m).read()) for m in archive.getmembers()]
    with open(copy, "wb") as raw:
        writer = sealed.SealedWriter(raw, key)
        with tarfile.open(fileobj=writer, mode="w|") as out:
            for member, data in members:
                if member.name == "manifest.json":
                    manifest = json.loads(data)
                    manifest["schema"]["access"] = "0099_from_the_future"
                    data = json.dumps(manifest).encode()
                    member.size = len(data)
                out.addfile(member, io.BytesIO(data))
        writer.close()
