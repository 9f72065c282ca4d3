"""A disk cache of compiled rule indexes, so `attune lint` does not rebuild one at every start.

Building a profile's index (reading the YAML packs, expanding about a thousand phrases and
compiling them into one trie regex) costs a few tenths of a second; loading it back costs a few
milliseconds. Python cannot pickle a compiled regex (unpickling compiles it again), so the cache
keeps the regex engine's own code for the big trie pattern and hands it straight back to the
engine. The file name is a hash of the rule packs, the modules that build the index and the
Python and regex-engine versions, so any change to one of them simply misses the cache.

``ATTUNE_LANGUAGE_CACHE_DIR`` chooses the directory (default ``$XDG_CACHE_HOME/attune/language``
or ``~/.cache/attune/language``); ``off`` turns the cache off. A cache that cannot be read or
written is ignored: the index is then built in memory as before.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import pickle
import sys
from pathlib import Path

# The regex engine itself (no type stubs, hence imported by name).
_sre = importlib.import_module("_sre")

CACHE_ENV = "ATTUNE_LANGUAGE_CACHE_DIR"
# Bump when the pickled layout changes.
CACHE_FORMAT = "1"


def cache_dir() -> Path | None:
    """Return the cache directory, or None when caching is off."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "attune" / "language"


def cache_key(parts: list[bytes]) -> str:
    """Return a hex digest of everything the cached object depends on."""
    digest = hashlib.sha256()
    for part in (CACHE_FORMAT.encode(), sys.version.encode(), str(_sre.MAGIC).encode(), *parts):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()[:32]


def regex_state(pattern: str) -> tuple | None:
    """Return what the regex engine needs to rebuild ``re.compile(pattern)`` without parsing.

    This reads CPython's private regex compiler, so it may fail on another Python; callers then
    simply do not cache the regex.
    """
    try:
        _compiler = importlib.import_module("re._compiler")
        _parser = importlib.import_module("re._parser")
        parsed = _parser.parse(pattern, 0)
        # Opcodes are int subclasses that refuse to pickle; the engine only needs the ints.
        code = [int(word) for word in _compiler._code(parsed, 0)]
        groupindex = parsed.state.groupdict
        indexgroup = [None] * parsed.state.groups
        for name, number in groupindex.items():
            indexgroup[number] = name
        return (
            pattern,
            int(parsed.state.flags),
            code,
            parsed.state.groups - 1,
            dict(groupindex),
            tuple(indexgroup),
        )
    except Exception:  # noqa: BLE001 - an optional speed-up; never worth failing for
        return None


def regex_from_state(state: tuple):
    """Return the compiled regex described by ``regex_state``."""
    return _sre.compile(*state)


def load(name: str) -> object | None:
    """Return the cached object stored under name, or None."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        with (directory / name).open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own file in the user's cache dir
    except Exception:  # noqa: BLE001 - a missing or damaged cache is rebuilt
        return None


def store(name: str, value: object) -> None:
    """Write value under name atomically; silently give up when the directory is unusable."""
    directory = cache_dir()
    if directory is None:
        return
    import tempfile  # only a run that builds an index writes one

    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as sink:
                pickle.dump(value, sink, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, directory / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except Exception:  # noqa: BLE001 - a read-only home or full disk only costs speed
        return
