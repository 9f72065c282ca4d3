"""Read settings from the environment: small typed helpers, no framework.

Secrets come from ``NAME`` or from the file named by ``NAME_FILE`` (for Docker or systemd
credentials).  When neither is set and ``ATTUNE_AUTOGENERATE_SECRETS`` is true (the demo and the
tests), a random value is created once under ``var/secrets/`` so a first run needs no set-up and no
secret ever lands in the repository.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    """Return the boolean value of environment variable ``name``."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def envint(name: str, default: int) -> int:
    """Return the integer value of environment variable ``name``."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def envstr(name: str, default: str) -> str:
    """Return environment variable ``name`` or ``default``."""
    return os.environ.get(name, default)


def envlist(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated environment variable as a list of non-empty items."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envsecret(name: str, *, var_dir: Path, generate) -> str:
    """Return a secret from ``name``, ``name_FILE`` or, in the demo and tests, ``var/secrets/``."""
    if os.environ.get(name):
        return os.environ[name]
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    if not envbool("ATTUNE_AUTOGENERATE_SECRETS", False):
        raise ImproperlyConfigured(f"{name} is not set. Set it (or {name}_FILE); see .env.example.")
    path = var_dir / "secrets" / name.lower()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        path.write_text(generate(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def envsecret_optional(name: str, *, var_dir: Path, generate) -> str:
    """Like ``envsecret``, but return '' when the secret is not set and none may be generated.

    For keys only some commands need (a backup, a trail checkpoint): the server starts without
    them, and the command that needs one says so in one line.
    """
    try:
        return envsecret(name, var_dir=var_dir, generate=generate)
    except ImproperlyConfigured:
        return ""


def envsecret_given(name: str) -> str:
    """Return a secret from ``name`` or ``name_FILE``, or '' when neither is set (never made up).

    For a provider's credentials: a generated value would be useless, and their absence only
    means the feature that needs them is off.
    """
    if os.environ.get(name):
        return os.environ[name]
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return ""


def random_secret_key() -> str:
    """Return a fresh value for Django's SECRET_KEY."""
    return secrets.token_urlsafe(50)
