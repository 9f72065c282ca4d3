"""A sealed stream: data encrypted and authenticated in chunks with AES-256-GCM, written and read
as it goes, so a backup of any size needs memory for one chunk only.

Layout: ``MAGIC``, a 16-byte random salt, then frames of ``[flag: 1 byte][length: 4 bytes]
[ciphertext]``.  Each file gets its own key, derived from the backup key and the salt (HKDF);
chunk ``n`` is sealed with the nonce ``n``, flagged last or not, so frames cannot be reordered,
dropped, repeated or cut off without the reader noticing.  No Django here.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"ATTUNE-BACKUP v1\n"
SALT_BYTES = 16
CHUNK_BYTES = 1024 * 1024
FRAME_HEADER = struct.Struct(">BI")
LAST = 1


class SealError(Exception):
    """The stream cannot be sealed or opened; the message says why, in one line."""


class WrongKey(SealError):
    """The key does not open this file (or its first chunk is damaged)."""


def key_bytes(key: str) -> bytes:
    """Return the 32 bytes of a url-safe base64 key (the same shape as a Fernet key)."""
    try:
        raw = base64.urlsafe_b64decode(key.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raw = b""
    if len(raw) != 32:
        raise SealError("ATTUNE_BACKUP_KEY must be 32 bytes in url-safe base64 (like a field key)")
    return raw


def _file_key(key: str, salt: bytes) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"attune backup archive v1"
    ).derive(key_bytes(key))
    return AESGCM(derived)


def _nonce(counter: int, flag: int) -> bytes:
    return counter.to_bytes(11, "big") + bytes([flag])


class SealedWriter:
    """A write-only file object that seals what is written to ``raw`` chunk by chunk."""

    def __init__(self, raw, key: str):
        salt = os.urandom(SALT_BYTES)
        self._aead = _file_key(key, salt)
        self._raw = raw
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        raw.write(MAGIC + salt)

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_BYTES:
            self._emit(bytes(self._buffer[:CHUNK_BYTES]), flag=0)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def _emit(self, chunk: bytes, *, flag: int) -> None:
        sealed = self._aead.encrypt(_nonce(self._counter, flag), chunk, MAGIC)
        self._raw.write(FRAME_HEADER.pack(flag, len(sealed)) + sealed)
        self._counter += 1

    def close(self) -> None:
        if not self._closed:
            self._emit(bytes(self._buffer), flag=LAST)
            self._buffer.clear()
            self._closed = True

    def flush(self) -> None:
        self._raw.flush()


class SealedReader:
    """A read-only file object that opens a sealed stream, checking every chunk as it goes."""

    def __init__(self, raw, key: str):
        head = raw.read(len(MAGIC) + SALT_BYTES)
        if len(head) < len(MAGIC) + SALT_BYTES or not head.startswith(MAGIC):
            raise SealError("this is not an Attune backup file")
        self._aead = _file_key(key, head[len(MAGIC) :])
        self._raw = raw
        self._buffer = b""
        self._position = 0
        self._counter = 0
        self._done = False

    def _next_chunk(self) -> bytes:
        header = self._raw.read(FRAME_HEADER.size)
        if len(header) < FRAME_HEADER.size:
            raise SealError("the backup file is cut short")
        flag, length = FRAME_HEADER.unpack(header)
        sealed = self._raw.read(length)
        if len(sealed) < length or flag not in (0, LAST):
            raise SealError("the backup file is cut short or damaged")
        try:
            chunk = self._aead.decrypt(_nonce(self._counter, flag), sealed, MAGIC)
        except InvalidTag:
            if self._counter == 0:
                raise WrongKey(
                    "the backup key does not open this file "
                    "(set ATTUNE_BACKUP_KEY to the key it was made with)"
                ) from None
            raise SealError(f"the backup file is damaged (chunk {self._counter})") from None
        self._counter += 1
        if flag == LAST:
            self._done = True
            if self._raw.read(1):
                raise SealError("the backup file has data after its end")
        return chunk

    def read(self, size: int = -1) -> bytes:
        parts, wanted = [], size
        while size < 0 or wanted > 0:
            if self._position >= len(self._buffer):
                if self._done:
                    break
                self._buffer, self._position = self._next_chunk(), 0
                continue
            available = len(self._buffer) - self._position
            take = available if size < 0 else min(wanted, available)
            parts.append(self._buffer[self._position : self._position + take])
            self._position += take
            wanted -= take
        return b"".join(parts)
