"""Read and check the self-assessment's items file (``assessment_items.yaml``)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ITEMS_FILE = Path(__file__).resolve().parent / "assessment_items.yaml"
STATEMENT_SECTIONS = ("languages", "fees", "physical", "communication", "feedback")
STATEMENT_LANGUAGES = ("en", "es", "ar")
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class ItemsFileError(ValueError):
    """The items file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class ItemSpec:
    key: str
    area_key: str
    area_label: str
    prompt: str
    takes_documents: bool = False
    statement: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ItemSet:
    version: str
    items: tuple[ItemSpec, ...]


def _text(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ItemsFileError(f"{where}: expected some text")
    return " ".join(value.split())


def _statement(raw, where: str) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or raw.get("section") not in STATEMENT_SECTIONS:
        raise ItemsFileError(f"{where}.statement: section must be one of {STATEMENT_SECTIONS}")
    texts = raw.get("text")
    if not isinstance(texts, dict) or "en" not in texts:
        raise ItemsFileError(f"{where}.statement.text: needs at least an 'en' sentence")
    return {
        "section": raw["section"],
        "text": {
            language: _text(texts[language], f"{where}.statement.text.{language}")
            for language in STATEMENT_LANGUAGES
            if language in texts
        },
    }


def parse_items(source: str) -> ItemSet:
    """Return the item set in ``source`` (YAML text); raise ItemsFileError if it is unusable."""
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        raise ItemsFileError(f"not valid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("areas"), list):
        raise ItemsFileError("expected a mapping with a list of 'areas'")
    items: list[ItemSpec] = []
    seen: set[str] = set()
    for a, area in enumerate(data["areas"]):
        where = f"areas[{a}]"
        if not isinstance(area, dict) or not KEY.match(str(area.get("key", ""))):
            raise ItemsFileError(f"{where}.key: lowercase letters, digits and dashes")
        label = _text(area.get("label"), f"{where}.label")
        if not isinstance(area.get("items"), list) or not area["items"]:
            raise ItemsFileError(f"{where}.items: at least one item")
        for i, raw in enumerate(area["items"]):
            spot = f"{where}.items[{i}]"
            key = str(raw.get("key", "")) if isinstance(raw, dict) else ""
            if not KEY.match(key):
                raise ItemsFileError(f"{spot}.key: lowercase letters, digits and dashes")
            if key in seen:
                raise ItemsFileError(f"{spot}.key: {key!r} is used twice")
            seen.add(key)
            items.append(
                ItemSpec(
                    key=key,
                    area_key=str(area["key"]),
                    area_label=label,
                    prompt=_text(raw.get("prompt"), f"{spot}.prompt"),
                    takes_documents=bool(raw.get("documents", False)),
                    statement=_statement(raw.get("statement"), spot),
                )
            )
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]
    return ItemSet(version=f"{data.get('version', 1)}:{digest}", items=tuple(items))


def load_items(path: Path | None = None) -> ItemSet:
    """Return the agency's item set from ``path`` (by default the bundled file)."""
    path = path or ITEMS_FILE
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ItemsFileError(f"{path}: {error.strerror}") from None
    return parse_items(source)
