"""Find rule matches in a document and apply context: quotes, conditions, suppression."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from attune.language.document import Document
from attune.language.patterns import SEPARATOR_CHARS, normalise_phrase
from attune.language.results import Finding
from attune.language.rulebook import ProfileIndex, Rule

CONTEXT_WINDOW = 80
QUOTE_LOOKBACK = 2000
INLINE_MARKER = "attune-lint:"
_MARKER_BODY = re.compile(r"attune-lint:\s*allow\s+([A-Za-z0-9_.*,\- ]+)")
_WHITESPACE = re.compile(r"\s+")
_WORD_RUN = re.compile(f"[^{SEPARATOR_CHARS}]+")
QUOTED_NOTE = (
    "Inside quotation marks, so read as the client's own words rather than the writer's label; "
    "no change needed if the words are really the client's."
)


@dataclass(slots=True)
class ScanOptions:
    """Choices that change what a scan reports, taken from the config file."""

    quoted_speech: str = "info"  # "info" keeps quoted matches as info, "ignore" drops them
    disabled_rules: frozenset[str] = frozenset()
    severity_overrides: dict[str, str] = field(default_factory=dict)


def inline_allowances(text: str) -> dict[int, set[str]]:
    """Return, per 1-based line, the rule ids that an inline marker allows there.

    A marker covers its own line and the next one, so it can sit in a comment above the line.
    """
    allowed: dict[int, set[str]] = {}
    if INLINE_MARKER not in text:
        return allowed
    for line_number, line in enumerate(text.split("\n"), start=1):
        if INLINE_MARKER not in line:
            continue
        for match in _MARKER_BODY.finditer(line):
            names = {name for name in re.split(r"[,\s]+", match.group(1)) if name}
            for covered in (line_number, line_number + 1):
                allowed.setdefault(covered, set()).update(names)
    return allowed


# Single quotes double as apostrophes ("client's", "don't"), so only a quote that opens before a
# word after a space, or closes after a word before a space or punctuation, counts.
_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[]))['\u2018](?=[^\W_])")
_SINGLE_CLOSE = re.compile(r"(?<=[^\W_]|[.,!?])['\u2019](?=[\s.,;:!?)\]]|$)")


def inside_quotes(scan: str, start: int) -> bool:
    """Return True when start lies inside a quotation within its paragraph."""
    floor = max(0, start - QUOTE_LOOKBACK)
    paragraph_start = scan.rfind("\n\n", floor, start)
    before = scan[(paragraph_start + 2 if paragraph_start >= 0 else floor) : start]
    if before.count('"') % 2 == 1:
        return True
    if before.rfind("\u201c") > before.rfind("\u201d"):
        return True
    if "'" in before or "\u2018" in before:
        return len(_SINGLE_OPEN.findall(before)) > len(_SINGLE_CLOSE.findall(before))
    return False


def _near_text(scan: str, start: int, end: int, window: int) -> str:
    before = _WHITESPACE.sub(" ", scan[max(0, start - window * 3) : start])[-window:]
    after = _WHITESPACE.sub(" ", scan[end : end + window * 3])[:window]
    return f"{before} \u0000 {after}"


def _accept(rule: Rule, scan: str, start: int, end: int) -> int | None:
    """Return the end of the reported span when the rule's context conditions hold."""
    if rule.followed_by is not None:
        following = rule.followed_by.match(scan, end)
        if following is None:
            return None
        end = following.end()
    if rule.not_followed_by is not None and rule.not_followed_by.match(scan, end):
        return None
    if rule.preceded_by is not None or rule.not_preceded_by is not None:
        window = scan[max(0, start - CONTEXT_WINDOW) : start]
        if rule.preceded_by is not None and not rule.preceded_by.search(window):
            return None
        if rule.not_preceded_by is not None and rule.not_preceded_by.search(window):
            return None
    if rule.not_near is not None and rule.not_near.search(
        _near_text(scan, start, end, rule.near_window)
    ):
        return None
    while end > start and scan[end - 1].isspace():
        end -= 1
    return end


def _visible_words(document: Document, start: int, end: int) -> str:
    """Return the flagged words: the original slice, or its visible words when markup is inside."""
    original = document.text[start:end]
    visible = document.prose[start:end]
    return original if visible == original else " ".join(visible.split())


def _end_of_words(matched: str, start: int, word_count: int) -> int:
    """Return the end offset of the first word_count words of a match."""
    runs = list(_WORD_RUN.finditer(matched))
    return start + runs[min(word_count, len(runs)) - 1].end()


def _next_search_start(matched: str, start: int, end: int) -> int:
    """Return where to look next: just before the second word of a match, else its end.

    Restarting inside a long match lets a shorter phrase of another rule that begins at a
    later word of it ("handicapped" inside "the handicapped entrance") still be found. The
    search pattern consumes the character before a phrase, hence the step back by one.
    """
    first = _WORD_RUN.match(matched)
    second = _WORD_RUN.search(matched, first.end()) if first else None
    return start + second.start() - 1 if second else end


def scan_document(document: Document, index: ProfileIndex, options: ScanOptions) -> list[Finding]:
    """Return every finding of the profile's rules in the document, in text order."""
    if index.finder is None:
        return []
    scan = document.scan
    text = document.text
    allowances = inline_allowances(text)
    findings: list[Finding] = []
    covered_until: dict[str, int] = {}
    rules_by_key = index.rules_by_key
    finder = index.finder
    # One leading space lets the finder, which consumes the character before a phrase, see a
    # phrase at offset 0; padded offsets are one more than offsets into scan.
    padded = " " + scan
    match = finder.search(padded)
    while match is not None:
        start, match_end = match.start(1) - 1, match.end(1) - 1
        matched = match.group(1)
        match = finder.search(padded, _next_search_start(matched, start, match_end) + 1)
        candidates = rules_by_key.get(normalise_phrase(matched))
        if not candidates:
            continue
        for rule, word_count in candidates:
            if rule.id in options.disabled_rules or covered_until.get(rule.id, -1) > start:
                continue
            phrase_end = match_end
            if word_count:
                phrase_end = _end_of_words(matched, start, word_count)
            end = _accept(rule, scan, start, phrase_end)
            if end is None:
                continue
            line, column = document.position(start)
            allowed_here = allowances.get(line)
            if allowed_here and (rule.id in allowed_here or "*" in allowed_here):
                continue
            severity = options.severity_overrides.get(rule.id, rule.severity)
            quoted = inside_quotes(scan, start)
            message = rule.message
            if quoted:
                if options.quoted_speech == "ignore":
                    continue
                severity = "info"
                message = f"{QUOTED_NOTE} {rule.message}"
            end_line, last_column = document.position(end - 1)
            covered_until[rule.id] = end
            findings.append(
                Finding(
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=last_column + 1,
                    text=_visible_words(document, start, end),
                    rule=rule.id,
                    category=rule.category,
                    severity=severity,
                    message=message,
                    suggestions=rule.suggestions,
                    start_offset=start,
                    end_offset=end,
                    quoted=quoted,
                )
            )
    return findings
