"""The --config file: profile, fail level, allow-list, disabled rules and severity changes."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from attune.language.results import PROFILES, SEVERITIES, Finding
from attune.language.scanner import ScanOptions


class ConfigError(ValueError):
    """Raised for a config file that cannot be used; the message is one line."""


@dataclass(frozen=True, slots=True)
class Allowance:
    """One allow-list entry: a rule (or every rule), optionally limited to paths or words."""

    rule: str = "*"
    paths: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()

    def covers(self, finding: Finding, path: str) -> bool:
        """Return True when this entry allows the finding in the file at path."""
        if self.rule not in {"*", finding.rule}:
            return False
        if self.paths and not any(fnmatch.fnmatch(path, pattern) for pattern in self.paths):
            return False
        if self.texts:
            spoken = " ".join(finding.text.lower().split())
            return any(" ".join(text.lower().split()) == spoken for text in self.texts)
        return True


@dataclass(slots=True)
class LintConfig:
    """Settings for one run; every field has a sensible default."""

    profile: str | None = None
    fail_on: str | None = None
    allow: list[Allowance] = field(default_factory=list)
    disable: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    quoted_speech: str = "info"
    target_grade: float = 8.0

    def scan_options(self) -> ScanOptions:
        """Return the scanner options this config implies."""
        return ScanOptions(
            quoted_speech=self.quoted_speech,
            disabled_rules=self.disable,
            severity_overrides=dict(self.severity),
        )

    def allows(self, finding: Finding, path: str) -> bool:
        """Return True when the allow-list covers the finding."""
        return any(entry.covers(finding, path) for entry in self.allow)


def _as_tuple(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ConfigError(f"{where} must be a string or a list of strings")


def parse_config(data: object, *, source: str = "config") -> LintConfig:
    """Validate a loaded YAML mapping and return the config it describes."""
    if data is None:
        return LintConfig()
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the top level must be a mapping")
    known = {"profile", "fail_on", "allow", "disable", "severity", "quoted_speech", "target_grade"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown key {unknown[0]!r}")
    profile = data.get("profile")
    if profile is not None and profile not in PROFILES:
        raise ConfigError(f"{source}: profile must be one of {', '.join(PROFILES)}")
    fail_on = data.get("fail_on")
    if fail_on is not None and fail_on not in SEVERITIES:
        raise ConfigError(f"{source}: fail_on must be one of {', '.join(SEVERITIES)}")
    allow: list[Allowance] = []
    for index, entry in enumerate(data.get("allow") or []):
        where = f"{source}: allow[{index}]"
        if isinstance(entry, str):
            allow.append(Allowance(rule=entry))
        elif isinstance(entry, dict):
            allow.append(
                Allowance(
                    rule=str(entry.get("rule", "*")),
                    paths=_as_tuple(entry.get("paths"), f"{where}.paths"),
                    texts=_as_tuple(entry.get("text"), f"{where}.text"),
                )
            )
        else:
            raise ConfigError(f"{where} must be a rule id or a mapping")
    severity = data.get("severity") or {}
    if not isinstance(severity, dict) or any(v not in SEVERITIES for v in severity.values()):
        raise ConfigError(f"{source}: severity must map rule ids to info, warning or error")
    quoted = data.get("quoted_speech", "info")
    if quoted not in {"info", "ignore"}:
        raise ConfigError(f"{source}: quoted_speech must be 'info' or 'ignore'")
    try:
        target = float(data.get("target_grade", 8.0))
    except (TypeError, ValueError):
        raise ConfigError(f"{source}: target_grade must be a number") from None
    return LintConfig(
        profile=profile,
        fail_on=fail_on,
        allow=allow,
        disable=frozenset(_as_tuple(data.get("disable"), f"{source}: disable")),
        severity={str(k): str(v) for k, v in severity.items()},
        quoted_speech=quoted,
        target_grade=target,
    )


def load_config(path: str | Path) -> LintConfig:
    """Read and validate a YAML config file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read config {path}: {error.strerror or error}") from None
    import yaml  # only a run with a config file pays for importing YAML

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"config {path} is not valid YAML{where}") from None
    return parse_config(data, source=str(path))
