"""Turn rule phrases into one compiled regular expression per profile.

Phrases in the rule packs are lower-case words with three small conveniences:

* ``{a,b,}`` expands to alternatives (an empty alternative is allowed) and ``{@set}`` to every
  entry of a named set, so inflections and spelling variants stay readable in YAML;
* a hyphen inside a word matches the joined word, a hyphen, a space or a line break, so
  ``non-compliant`` also finds ``noncompliant``, ``non compliant`` and ``non-\\ncompliant``;
* an apostrophe is optional and matches either ``'`` or ``'``, so ``mother's`` also finds
  ``mothers``.

Every expanded phrase is inserted into a character trie that renders as a single regular
expression. Each branch of the trie starts with a literal character, which lets the regex engine
reject most positions after one comparison; that keeps a scan linear in the input size instead of
linear in input size times the number of phrases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

SEPARATOR_CHARS = "\\s\\-\u00ad\u2010\u2011\u2012\u2013\u2014/"
SEPARATOR = f"[{SEPARATOR_CHARS}]+"
APOSTROPHES = "'\u2019"
WORD_START = r"(?<![^\W_])"
WORD_END = r"(?![^\W_])"

_SEPARATOR_RUN = re.compile(SEPARATOR)
_APOSTROPHE_CHARS = re.compile(f"[{APOSTROPHES}]")

# Trie units other than ordinary characters.
_SEP = "\x00sep"


class PatternError(ValueError):
    """Raised when a phrase in a rule pack cannot be expanded."""


def normalise_phrase(text: str) -> str:
    """Return the lookup key shared by a phrase and every passage it matches."""
    without_apostrophes = _APOSTROPHE_CHARS.sub("", text.lower())
    return _SEPARATOR_RUN.sub(" ", without_apostrophes).strip()


def expand_braces(pattern: str, sets: Mapping[str, Iterable[str]]) -> list[str]:
    """Expand ``{a,b}`` alternatives and ``{@name}`` set references into plain phrases."""
    open_at = pattern.find("{")
    if open_at < 0:
        if "}" in pattern:
            raise PatternError(f"unbalanced '}}' in {pattern!r}")
        return [pattern]
    depth = 0
    close_at = -1
    for index in range(open_at, len(pattern)):
        char = pattern[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                close_at = index
                break
    if close_at < 0:
        raise PatternError(f"unbalanced '{{' in {pattern!r}")
    inner = pattern[open_at + 1 : close_at]
    head, tail = pattern[:open_at], pattern[close_at + 1 :]
    if inner.startswith("@"):
        name = inner[1:]
        if name not in sets:
            raise PatternError(f"unknown set {name!r} in {pattern!r}")
        options = list(sets[name])
    else:
        options = _split_top_level(inner)
    expanded: list[str] = []
    for option in options:
        for middle in expand_braces(option, sets):
            expanded.extend(expand_braces(head + middle + tail, sets))
    return expanded


def _split_top_level(inner: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in inner:
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        current.append(char)
    parts.append("".join(current))
    return parts


def hyphen_variants(phrase: str) -> list[str]:
    """Return the phrase with each in-word hyphen both joined and split."""
    variants = [""]
    for index, word in enumerate(phrase.split()):
        pieces = [word.replace("-", ""), word.replace("-", " ")] if "-" in word else [word]
        joiner = " " if index else ""
        variants = [done + joiner + piece for done in variants for piece in dict.fromkeys(pieces)]
    return variants


def phrase_units(phrase: str) -> list[tuple[str, bool]]:
    """Split a plain phrase into trie units: (character or separator, apostrophe may precede).

    An apostrophe is folded into the unit that follows it rather than being a unit of its own,
    so "mother's" and "mothers" share one path in the trie; two paths that could match the same
    text would make the regex stop at whichever alternative comes first instead of the longest.
    """
    units: list[tuple[str, bool]] = []
    apostrophe_pending = False
    for char in phrase.lower().strip():
        if char.isspace() or char in "/\u2010\u2011\u2012\u2013\u2014":
            if units and units[-1][0] == _SEP:
                continue
            units.append((_SEP, False))
            apostrophe_pending = False
        elif char in APOSTROPHES:
            apostrophe_pending = True
        else:
            units.append((char, apostrophe_pending))
            apostrophe_pending = False
    return units


class _TrieNode:
    __slots__ = ("apostrophe_before", "children", "terminal")

    def __init__(self) -> None:
        self.children: dict[str, _TrieNode] = {}
        self.terminal = False
        self.apostrophe_before = False


def _render_unit(unit: str, apostrophe_before: bool) -> str:
    if unit == _SEP:
        return SEPARATOR
    optional_apostrophe = f"[{APOSTROPHES}]?" if apostrophe_before else ""
    return optional_apostrophe + re.escape(unit)


def _render(node: _TrieNode) -> str:
    branches = [
        _render_unit(unit, child.apostrophe_before) + _render(child)
        for unit, child in sorted(node.children.items())
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if node.terminal:
        return f"(?:{body})?"
    return body


def _trie_body(phrases: Iterable[str]) -> str | None:
    root = _TrieNode()
    count = 0
    for phrase in phrases:
        units = phrase_units(phrase)
        if not units:
            continue
        node = root
        for unit, apostrophe_before in units:
            node = node.children.setdefault(unit, _TrieNode())
            node.apostrophe_before = node.apostrophe_before or apostrophe_before
        node.terminal = True
        count += 1
    return _render(root) if count else None


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """Compile plain (already expanded) phrases into one word-bounded trie regex."""
    body = _trie_body(phrases)
    if body is None:
        return None
    return re.compile(WORD_START + "(?:" + body + ")" + WORD_END)


def compile_phrase_finder(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """Compile phrases for scanning text that starts with one padding space.

    The phrase is group 1. The pattern consumes the non-word character before a phrase
    instead of asserting it with a lookbehind: a leading character class lets the regex engine
    skip through the letters of ordinary words in C, which makes a scan about a third faster.
    The caller puts one space before the text so a phrase at offset 0 is found too.
    """
    body = _trie_body(phrases)
    if body is None:
        return None
    return re.compile(r"[\W_](" + body + ")" + WORD_END)


def words_regex(words: Iterable[str]) -> re.Pattern[str]:
    """Compile a word list into a regex finding any of them as whole words or phrases."""
    return compile_phrases(variant for word in words for variant in hyphen_variants(word)) or (
        re.compile(r"(?!)")
    )
