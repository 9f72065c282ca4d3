"""Small builders for hand-made instruments used across the measures tests."""

from __future__ import annotations

from typing import Any

from attune.measures.yaml_format import instrument_from_mapping


def four_point_options() -> list[dict[str, Any]]:
    """Return options coded a–d weighted 0–3."""
    return [
        {"code": code, "display": code.upper(), "weight": weight}
        for code, weight in zip("abcd", range(4), strict=True)
    ]


def yaml_instrument(items: list[dict[str, Any]], scoring: dict[str, Any] | None = None, **top):
    """Build an instrument from Attune YAML data with sensible defaults."""
    data: dict[str, Any] = {
        "attune_instrument": 1,
        "name": "test",
        "url": "urn:attune:test",
        "version": "1",
        "items": items,
        **top,
    }
    if scoring is not None:
        data["scoring"] = scoring
    return instrument_from_mapping(data)


def choice_items(count: int, prefix: str = "q") -> list[dict[str, Any]]:
    """Return ``count`` four-option choice items named q1, q2, …"""
    return [
        {
            "link_id": f"{prefix}{n}",
            "type": "choice",
            "text": f"Question {n}",
            "options": four_point_options(),
        }
        for n in range(1, count + 1)
    ]
