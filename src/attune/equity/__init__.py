"""Equity analytics: gaps in access, engagement, outcomes and felt humility, by group.

Pure modules with no Django import, except the web app's own: ``database`` (the report
from the app's tables), ``views``, ``urls`` and ``apps``. The public names load their
modules on first use, so ``import attune.equity`` stays cheap for the command line and the
web app.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "EquityInputError": "attune.equity.errors",
    "load_episodes": "attune.equity.episodes",
    "validate_episodes": "attune.equity.episodes",
    "collect_statistics": "attune.equity.collect",
    "build_report": "attune.equity.report",
    "report_from_statistics": "attune.equity.report",
    "parse_intersections": "attune.equity.report",
    "parse_references": "attune.equity.report",
    "Report": "attune.equity.report",
    "MetricRow": "attune.equity.report",
    "EquityStatistics": "attune.equity.summaries",
    "AttributeSummaries": "attune.equity.summaries",
    "GroupSummaries": "attune.equity.summaries",
    "Proportion": "attune.equity.summaries",
    "SessionTally": "attune.equity.summaries",
    "Moments": "attune.equity.summaries",
    "Frequencies": "attune.equity.summaries",
    "AGGREGATE_FIELDS": "attune.equity.summaries",
    "metric_summaries": "attune.equity.summaries",
    "combine": "attune.equity.summaries",
    "METRICS": "attune.equity.metrics",
    "summarize_findings": "attune.equity.wording",
    "describe_finding": "attune.equity.wording",
    "render_json": "attune.equity.render",
    "render_csv": "attune.equity.render",
    "render_html": "attune.equity.render",
    "render_pdf": "attune.pdf",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import the module behind a public name on first use."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'attune.equity' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
