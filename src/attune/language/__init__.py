"""Attune's language audit engine: pure Python, no Django.

Library use::

    from attune.language import audit_text, audit_bytes, audit_path, report_to_json_dict

    report = audit_text("Client claims she is clean.", profile="notes")
    for finding in report.findings:
        print(finding.line, finding.column, finding.rule, finding.suggestions)
"""

from attune.language.config import ConfigError, LintConfig, load_config, parse_config
from attune.language.engine import audit_bytes, audit_document, audit_path, audit_text
from attune.language.formats.html_report import highlight_html, render_html
from attune.language.formats.json_format import report_to_json_dict, reports_to_json_dict
from attune.language.formats.sarif import sarif_dict
from attune.language.readers import ReaderError
from attune.language.results import (
    PROFILES,
    SEVERITIES,
    Check,
    FileReport,
    Finding,
    HardSentence,
    Readability,
)

__all__ = [
    "PROFILES",
    "SEVERITIES",
    "Check",
    "ConfigError",
    "FileReport",
    "Finding",
    "HardSentence",
    "LintConfig",
    "Readability",
    "ReaderError",
    "audit_bytes",
    "audit_document",
    "audit_path",
    "audit_text",
    "highlight_html",
    "load_config",
    "parse_config",
    "render_html",
    "report_to_json_dict",
    "reports_to_json_dict",
    "sarif_dict",
]
