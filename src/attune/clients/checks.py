"""System checks of the field encryption keys (``ATTUNE_FIELD_KEYS``).

A wrong key must stop a deployment, not surface as a 500 on the first client page.  Two checks:

* every run of ``attune manage`` (and so ``migrate`` and ``check``): each key is a Fernet key;
* ``check --deploy``: the keys decrypt what is already stored.  The canary is the database's
  own ciphertext: the chosen name of the oldest and of the newest client (every client has
  one).  The oldest proves no key still needed was dropped; the newest, that the key which
  encrypts today is in the list.  An empty database, or one not migrated yet, has nothing to
  check and passes.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection

HOW = "make one with Fernet.generate_key() (see .env.example)"


def _keys() -> list[str]:
    keys = getattr(settings, "FIELD_ENCRYPTION_KEYS", [])
    return [keys] if isinstance(keys, str) else list(keys)


def key_problems(keys: list[str]) -> list[str]:
    """Return one line per key that is not a Fernet key (empty when all are)."""
    if not [key for key in keys if key.strip()]:
        return [f"ATTUNE_FIELD_KEYS is empty; {HOW}."]
    problems = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.strip().encode())
        except (ValueError, TypeError):
            problems.append(
                f"ATTUNE_FIELD_KEYS: key {position} of {len(keys)} is not a Fernet key "
                f"(44 characters of URL-safe base64); {HOW}."
            )
    return problems


def check_field_keys_parse(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse keys that are not Fernet keys."""
    return [checks.Error(problem, id="clients.E001") for problem in key_problems(_keys())]


def stored_canaries() -> list[tuple[int, str]]:
    """Return (client id, stored ciphertext of the chosen name) of the oldest and newest client."""
    table = "clients_client"
    try:
        if table not in connection.introspection.table_names():
            return []
        with connection.cursor() as cursor:
            rows = []
            for order in ("ASC", "DESC"):
                cursor.execute(
                    f"SELECT id, chosen_name FROM {table} "  # noqa: S608 - fixed names only
                    f"WHERE chosen_name <> '' ORDER BY id {order} LIMIT 1"
                )
                rows.extend(cursor.fetchall())
    except DatabaseError:
        return []  # no database to reach yet: nothing stored to check
    return sorted(set(rows))


def check_field_keys_decrypt(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse keys that cannot read the data already stored."""
    keys = _keys()
    if key_problems(keys):
        return []  # already reported, one line each
    cipher = MultiFernet([Fernet(key.strip().encode()) for key in keys])
    for client_id, token in stored_canaries():
        try:
            cipher.decrypt(token.encode())
        except (InvalidToken, ValueError, TypeError):
            return [
                checks.Error(
                    f"ATTUNE_FIELD_KEYS cannot decrypt stored client data (client {client_id}): "
                    "a wrong key, or a key still needed was removed from the list.",
                    id="clients.E002",
                )
            ]
    return []
