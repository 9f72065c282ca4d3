"""A damaged backup is refused with one line, whatever its first member is."""

from __future__ import annotations

import tarfile

import pytest
from cryptography.fernet import Fernet

from attune.operations import sealed
from attune.operations.backup import MANIFEST, BackupError, read_manifest


def test_a_manifest_that_is_not_a_file_is_a_damaged_backup(tmp_path, settings):
    # tarfile gives no content for a directory; reading it used to fail with an AttributeError.
    settings.ATTUNE_BACKUP_KEY = Fernet.generate_key().decode()
    archive_path = tmp_path / "damaged.attune-backup"
    with open(archive_path, "wb") as raw:
        writer = sealed.SealedWriter(raw, settings.ATTUNE_BACKUP_KEY)
        with tarfile.open(fileobj=writer, mode="w|") as out:
            member = tarfile.TarInfo(MANIFEST)
            member.type = tarfile.DIRTYPE
            out.addfile(member)
        writer.close()
    with pytest.raises(BackupError, match="not a file"):
        read_manifest(archive_path)
