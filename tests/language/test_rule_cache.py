"""The disk cache of compiled rule indexes (attune.language.cache)."""

from __future__ import annotations

import re

import pytest

from attune.language import audit_text, cache, rulebook


def _fresh_index(profile: str) -> rulebook.ProfileIndex:
    rulebook.default_index.cache_clear()
    return rulebook.default_index(profile)


@pytest.fixture(autouse=True)
def _clear_memory_caches():
    rulebook.default_index.cache_clear()
    yield
    rulebook.default_index.cache_clear()


def test_an_index_loaded_from_the_cache_finds_what_a_built_one_finds(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    built = _fresh_index("notes")
    files = list(tmp_path.glob("index-notes-*.pickle"))
    assert len(files) == 1
    loaded = _fresh_index("notes")
    assert loaded is not built
    assert loaded.finder == re.compile(built.finder.pattern)
    assert loaded.rules_by_key.keys() == built.rules_by_key.keys()
    text = "Client claims she is clean and was non-compliant."
    rules = [finding.rule for finding in audit_text(text, profile="notes").findings]
    assert rules
    rulebook.default_index.cache_clear()
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert [finding.rule for finding in audit_text(text, profile="notes").findings] == rules


def test_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() is None
    _fresh_index("forms")
    assert not any(tmp_path.rglob("*.pickle"))


def test_a_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    _fresh_index("materials")
    (path,) = tmp_path.glob("index-materials-*.pickle")
    path.write_bytes(b"not a pickle")
    index = _fresh_index("materials")
    assert index.finder is not None
    assert path.read_bytes() != b"not a pickle"


def test_an_unwritable_cache_directory_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "below"))
    assert _fresh_index("forms").finder is not None


def test_the_key_changes_with_the_rules():
    assert cache.cache_key([b"rule a"]) != cache.cache_key([b"rule b"])
