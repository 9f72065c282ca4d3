"""Reads of the supervision app, one module per topic; each function is importable from here."""

from attune.supervision.queries.pairs import current_pairs, supervisee_ids, supervisees_with_counts

__all__ = ["current_pairs", "supervisee_ids", "supervisees_with_counts"]
