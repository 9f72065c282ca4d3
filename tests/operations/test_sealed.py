"""The sealed stream that backups are written in: chunked AES-GCM, every chunk checked."""

from __future__ import annotations

import io
import os

import pytest
from cryptography.fernet import Fernet

from attune.operations import sealed

pytestmark = pytest.mark.pure


def seal(data: bytes, key: str) -> bytes:
    raw = io.BytesIO()
    writer = sealed.SealedWriter(raw, key)
    for start in range(0, len(data), 70_000):
        writer.write(data[start : start + 70_000])
    writer.close()
    return raw.getvalue()


def open_all(blob: bytes, key: str) -> bytes:
    reader = sealed.SealedReader(io.BytesIO(blob), key)
    parts = []
    while part := reader.read(10240):
        parts.append(part)
    return b"".join(parts)


@pytest.fixture
def key() -> str:
    return Fernet.generate_key().decode()


def test_it_round_trips_more_than_one_chunk(key):
    data = os.urandom(sealed.CHUNK_BYTES * 2 + 12345)
    blob = seal(data, key)
    assert data[:64] not in blob
    assert open_all(blob, key) == data


def test_an_empty_stream_round_trips(key):
    assert open_all(seal(b"", key), key) == b""


def test_a_wrong_key_is_told_apart(key):
    blob = seal(b"clients' words", key)
    with pytest.raises(sealed.WrongKey, match="does not open"):
        open_all(blob, Fernet.generate_key().decode())


def test_a_cut_or_altered_file_is_refused(key):
    blob = seal(os.urandom(sealed.CHUNK_BYTES + 10), key)
    with pytest.raises(sealed.SealError, match="cut short"):
        open_all(blob[: len(blob) - 100], key)
    first_frame_end = len(sealed.MAGIC) + sealed.SALT_BYTES + 5 + sealed.CHUNK_BYTES + 16
    with pytest.raises(sealed.SealError, match="cut short"):
        open_all(blob[:first_frame_end], key)  # whole frames, but not the last one
    altered = bytearray(blob)
    altered[first_frame_end + 20] ^= 1
    with pytest.raises(sealed.SealError, match="damaged"):
        open_all(bytes(altered), key)
    with pytest.raises(sealed.SealError, match="after its end"):
        open_all(blob + b"x", key)


def test_a_malformed_key_is_refused_in_one_line():
    with pytest.raises(sealed.SealError, match="32 bytes"):
        sealed.SealedWriter(io.BytesIO(), "not a key")
