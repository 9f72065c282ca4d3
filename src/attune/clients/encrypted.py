"""Text fields encrypted at rest with rotating Fernet keys (``ATTUNE_FIELD_KEYS``).

The first key encrypts; every key decrypts, so a new key can be put first and old rows
re-encrypted at leisure (``attune manage rotate_field_keys``).  The keys are separate from
SECRET_KEY on purpose: rotating SECRET_KEY after a leak must not make clients' words unreadable,
and a leaked SECRET_KEY must not expose them.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models

from attune.clients.validation import strip_bidi_controls


@cache
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in keys])


def cipher() -> MultiFernet:
    """Return the cipher for the keys currently configured."""
    return _cipher(tuple(settings.FIELD_ENCRYPTION_KEYS))


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token; empty text is stored as empty text."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value or ""
        return cipher().decrypt(value.encode()).decode("utf-8")

    def get_prep_value(self, value):
        if value is None or value == "":
            return ""
        return cipher().encrypt(str(value).encode("utf-8")).decode("ascii")


class EncryptedNameField(EncryptedTextField):
    """A name or pronouns: encrypted, and read without bidi embedding or override controls.

    New names cannot contain them (``clients.validation``); this neutralises any stored before
    that rule or written around the forms, so an unpaired RLO never reverses what a page shows.
    Stored exactly like ``EncryptedTextField``, and described to migrations as one.
    """

    def from_db_value(self, value, expression, connection):
        return strip_bidi_controls(super().from_db_value(value, expression, connection))

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "attune.clients.encrypted.EncryptedTextField", args, kwargs


class EncryptedJSONField(EncryptedTextField):
    """A JSON document (dicts, lists, strings) stored encrypted; empty means an empty dict."""

    if TYPE_CHECKING:
        # What the attribute takes and gives back, for django-stubs (not the parent's text).
        _pyi_private_set_type: Any
        _pyi_private_get_type: Any

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return json.loads(text) if text else {}

    def to_python(self, value):
        return value if isinstance(value, dict | list) else json.loads(value or "{}")

    def get_prep_value(self, value):
        if value in (None, "", {}):
            return ""
        return super().get_prep_value(json.dumps(value, ensure_ascii=False, sort_keys=True))


def reencrypt(token: str) -> str:
    """Return ``token`` encrypted again under the newest key."""
    return cipher().rotate(token.encode()).decode("ascii") if token else token
