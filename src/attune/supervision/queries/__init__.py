"""Reads of the supervision app, one module per topic; each function is importable from here."""

from attune.supervision.queries.consultation import (
    case_for_member,
    case_identifiers,
    client_for_presentation,
    draft_for_presenter,
    group_for_leader,
    group_for_member,
    group_for_presenter,
    groups_for,
    member_group_ids,
    prefill,
    record_identifiers,
)
from attune.supervision.queries.pairs import current_pairs, supervisee_ids, supervisees_with_counts

__all__ = [
    "case_for_member",
    "case_identifiers",
    "client_for_presentation",
    "current_pairs",
    "draft_for_presenter",
    "group_for_leader",
    "group_for_member",
    "group_for_presenter",
    "groups_for",
    "member_group_ids",
    "prefill",
    "record_identifiers",
    "supervisee_ids",
    "supervisees_with_counts",
]
