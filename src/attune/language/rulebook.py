"""Load the YAML rule packs and build, once per profile, the index the scanner runs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from attune.language import cache as language_cache
from attune.language.patterns import (
    PatternError,
    compile_phrase_finder,
    expand_braces,
    hyphen_variants,
    normalise_phrase,
    words_regex,
)
from attune.language.results import PROFILES, SEVERITIES

RULES_PACKAGE = "attune.language.rules"
PACK_SUFFIX = ".yaml"
NEAR_WINDOW_DEFAULT = 80
REQUIRED_RULE_KEYS = ("id", "category", "profiles", "phrases", "why", "source", "suggestions")


class RulePackError(ValueError):
    """Raised when a rule pack is malformed; the message names the pack and the rule."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule from a pack, with its context conditions compiled."""

    id: str
    category: str
    severity: str
    profiles: tuple[str, ...]
    phrases: tuple[str, ...]
    why: str
    source: str
    source_title: str
    suggestions: tuple[str, ...]
    message: str
    followed_by: re.Pattern[str] | None = None
    not_followed_by: re.Pattern[str] | None = None
    preceded_by: re.Pattern[str] | None = None
    not_preceded_by: re.Pattern[str] | None = None
    not_near: re.Pattern[str] | None = None
    near_window: int = NEAR_WINDOW_DEFAULT
    pack: str = ""


@dataclass(slots=True)
class ProfileIndex:
    """All rules of one profile behind one compiled trie regex."""

    profile: str
    # Finds a phrase (group 1) after a non-word character, in text padded with one leading
    # space; None when the profile has no rules.
    finder: re.Pattern[str] | None
    # key -> (rule, words): words is 0 when the rule matched the whole key, else the number of
    # leading words of the key that form the rule's own, shorter phrase.
    rules_by_key: dict[str, tuple[tuple[Rule, int], ...]]
    rules: dict[str, Rule] = field(default_factory=dict)


@dataclass(slots=True)
class RuleBook:
    """Every loaded rule and the named sources and sets they refer to."""

    rules: list[Rule]
    sources: dict[str, str]
    sets: dict[str, list[str]]


_SET_REFERENCE = re.compile(r"\{@([A-Za-z_]+)\}")


def _set_alternation(entries: list[str]) -> str:
    """Return a regex alternation of set entries, longest first, spaces and hyphens loose."""
    rendered = [
        re.sub(r"(?:\\ |\\-|-)+", r"[\\s\\-]*", re.escape(entry))
        for entry in sorted(entries, key=len, reverse=True)
    ]
    return "(?:" + "|".join(rendered) + ")"


def _compile_optional(
    pattern: str | None, *, where: str, sets: dict[str, list[str]], anchor_end: bool = False
) -> re.Pattern | None:
    if not pattern:
        return None
    try:
        pattern = _SET_REFERENCE.sub(lambda ref: _set_alternation(sets[ref.group(1)]), pattern)
    except KeyError as error:
        raise RulePackError(f"{where}: unknown set {error.args[0]!r}") from error
    text = f"(?:{pattern})\\s*$" if anchor_end else pattern
    try:
        return re.compile(text)
    except re.error as error:
        raise RulePackError(f"{where}: bad regular expression {pattern!r}: {error}") from error


def _load_yaml(text: str) -> dict:
    # Imported here: a process that finds its index in the cache never needs YAML.
    import yaml

    # libyaml's loader is several times faster than the pure-Python one and is usually present.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader) or {}  # noqa: S506 - a safe loader


def _read_packs(directory: Path | None) -> list[tuple[str, dict]]:
    documents: list[tuple[str, dict]] = []
    if directory is None:
        root = _packaged_rules_root()
        entries = sorted(
            (entry for entry in root.iterdir() if entry.name.endswith(PACK_SUFFIX)),
            key=lambda entry: entry.name,
        )
        for entry in entries:
            documents.append((entry.name, _load_yaml(entry.read_text(encoding="utf-8"))))
    else:
        for path in sorted(directory.glob(f"*{PACK_SUFFIX}")):
            documents.append((path.name, _load_yaml(path.read_text(encoding="utf-8"))))
    return documents


def load_rulebook(directory: Path | None = None) -> RuleBook:
    """Read every pack (the packaged ones by default) and validate each rule."""
    documents = _read_packs(directory)
    sources: dict[str, str] = {}
    sets: dict[str, list[str]] = {}
    for _name, document in documents:
        sources.update(document.get("sources") or {})
        for set_name, entries in (document.get("sets") or {}).items():
            sets[set_name] = [str(entry).lower() for entry in entries]
    rules: list[Rule] = []
    seen: set[str] = set()
    for pack_name, document in documents:
        for raw in document.get("rules") or []:
            rule = _build_rule(raw, pack_name=pack_name, sources=sources, sets=sets)
            if rule.id in seen:
                raise RulePackError(f"{pack_name}: duplicate rule id {rule.id!r}")
            seen.add(rule.id)
            rules.append(rule)
    return RuleBook(rules=rules, sources=sources, sets=sets)


def _build_rule(raw: dict, *, pack_name: str, sources: dict, sets: dict) -> Rule:
    where = f"{pack_name}: rule {raw.get('id', '?')!r}"
    missing = [key for key in REQUIRED_RULE_KEYS if not raw.get(key)]
    if missing:
        raise RulePackError(f"{where}: missing {', '.join(missing)}")
    severity = raw.get("severity", "warning")
    if severity not in SEVERITIES:
        raise RulePackError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    profiles = tuple(raw["profiles"])
    unknown = [profile for profile in profiles if profile not in PROFILES]
    if unknown:
        raise RulePackError(f"{where}: unknown profile {unknown[0]!r}")
    source = raw["source"]
    if source not in sources:
        raise RulePackError(f"{where}: unknown source {source!r}")
    expanded: list[str] = []
    try:
        for phrase in raw["phrases"]:
            for plain in expand_braces(str(phrase).lower(), sets):
                expanded.extend(hyphen_variants(plain))
    except PatternError as error:
        raise RulePackError(f"{where}: {error}") from error
    not_near = raw.get("not_near")
    why = " ".join(str(raw["why"]).split())
    return Rule(
        id=raw["id"],
        category=raw["category"],
        severity=severity,
        profiles=profiles,
        phrases=tuple(dict.fromkeys(expanded)),
        why=why,
        source=source,
        source_title=sources[source],
        suggestions=tuple(str(s) for s in raw["suggestions"]),
        message=f"{why} (Source: {sources[source]}.)",
        followed_by=_compile_optional(raw.get("followed_by"), where=where, sets=sets),
        not_followed_by=_compile_optional(raw.get("not_followed_by"), where=where, sets=sets),
        preceded_by=_compile_optional(
            raw.get("preceded_by"), where=where, sets=sets, anchor_end=True
        ),
        not_preceded_by=_compile_optional(
            raw.get("not_preceded_by"), where=where, sets=sets, anchor_end=True
        ),
        not_near=words_regex(not_near) if not_near else None,
        near_window=int(raw.get("near_window", NEAR_WINDOW_DEFAULT)),
        pack=pack_name,
    )


def build_index(rulebook: RuleBook, profile: str) -> ProfileIndex:
    """Compile the trie regex and the phrase-key lookup for one profile."""
    rules_by_key: dict[str, list[Rule]] = {}
    phrases: list[str] = []
    selected = [rule for rule in rulebook.rules if profile in rule.profiles]
    for rule in selected:
        for phrase in rule.phrases:
            key = normalise_phrase(phrase)
            bucket = rules_by_key.setdefault(key, [])
            if rule not in bucket:
                bucket.append(rule)
            phrases.append(phrase)
    return ProfileIndex(
        profile=profile,
        finder=compile_phrase_finder(phrases),
        rules_by_key=_with_shadowed_prefixes(rules_by_key),
        rules={rule.id: rule for rule in selected},
    )


def _with_shadowed_prefixes(
    rules_by_key: dict[str, list[Rule]],
) -> dict[str, tuple[tuple[Rule, int], ...]]:
    """Attach to each key the rules of its shorter word prefixes.

    The trie regex returns the longest phrase at a position, so a rule whose phrase is a prefix
    of another rule's phrase ("homosexual" inside "homosexual lifestyle") would otherwise never
    see that passage.
    """
    expanded: dict[str, tuple[tuple[Rule, int], ...]] = {}
    for key, bucket in rules_by_key.items():
        entries: list[tuple[Rule, int]] = [(rule, 0) for rule in bucket]
        words = key.split(" ")
        for count in range(len(words) - 1, 0, -1):
            for rule in rules_by_key.get(" ".join(words[:count]), ()):
                if all(rule is not existing for existing, _ in entries):
                    entries.append((rule, count))
        expanded[key] = tuple(entries)
    return expanded


@cache
def default_rulebook() -> RuleBook:
    """Return the packaged rule packs, loaded once per process."""
    return load_rulebook()


@cache
def default_index(profile: str) -> ProfileIndex:
    """Return the compiled index of the packaged rules for a profile, built once per process.

    The index is kept in a disk cache (see ``attune.language.cache``) keyed by the rule packs
    and the code that builds it, so a new process loads it instead of building it again.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    name = f"index-{profile}-{_packaged_rules_key()}.pickle"
    cached = _index_from_cache(language_cache.load(name))
    if cached is not None:
        return cached
    index = build_index(default_rulebook(), profile)
    state = language_cache.regex_state(index.finder.pattern) if index.finder else None
    if state is not None or index.finder is None:
        stored = ProfileIndex(
            profile=index.profile, finder=None, rules_by_key=index.rules_by_key, rules=index.rules
        )
        language_cache.store(name, {"index": stored, "finder": state})
    return index


def _index_from_cache(entry: object) -> ProfileIndex | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("index"), ProfileIndex):
        return None
    index = entry["index"]
    if entry.get("finder") is not None:
        try:
            index.finder = language_cache.regex_from_state(entry["finder"])
        except Exception:  # noqa: BLE001 - a stale or foreign cache entry is rebuilt
            return None
    return index


def _packaged_rules_root():
    """Return the packaged rules directory: a plain path when installed as files (importing
    importlib.resources pulls in zipfile, tempfile and more, a cost at every start)."""
    directory = Path(__file__).resolve().parent / "rules"
    if directory.is_dir():
        return directory
    from importlib import resources

    return resources.files(RULES_PACKAGE)


@cache
def _packaged_rules_key() -> str:
    """Return a digest of the packaged rule packs and of the modules that compile them."""
    root = _packaged_rules_root()
    parts: list[bytes] = []
    for entry in sorted(root.iterdir(), key=lambda entry: entry.name):
        if entry.name.endswith(PACK_SUFFIX):
            parts.extend((entry.name.encode(), entry.read_bytes()))
    here = Path(__file__).resolve().parent
    for module in ("rulebook.py", "patterns.py", "results.py"):
        parts.append((here / module).read_bytes())
    return language_cache.cache_key(parts)
