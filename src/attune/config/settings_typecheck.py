"""Settings for the type checker only: the real settings, with placeholder secrets.

mypy's Django plugin imports a settings module to learn the models.  This one lets it do so on a
machine with no environment at all (CI, a fresh clone): it fills in placeholders for the two
secrets the real settings insist on and turns secret generation off, so nothing is written to
disk.  Never used to serve anything.
"""

from __future__ import annotations

import os

os.environ["ATTUNE_AUTOGENERATE_SECRETS"] = "false"
os.environ.setdefault("ATTUNE_SECRET_KEY", "typecheck-placeholder-not-a-secret")
# A well-formed Fernet key (32 zero bytes, base64): a placeholder, never used to encrypt.
os.environ.setdefault("ATTUNE_FIELD_KEYS", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")

from attune.config.settings import *  # noqa: E402, F403
