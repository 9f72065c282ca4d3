"""Who may import a roster or schedule file: a leader, and nobody else (least privilege)."""

from __future__ import annotations

import rules

from attune.access.policy import is_leader

rules.add_perm("roster.import_files", is_leader)
