"""The leader's agency pages for the access-matrix test (tests/access/test_access_matrix.py)."""

from __future__ import annotations

from tests.access.test_access_matrix import STAFF_ONLY_LEADER, staff

ROUTES = {
    "agency:overview": ("get", None, STAFF_ONLY_LEADER),
    "agency:staff_list": ("get", None, STAFF_ONLY_LEADER),
    "agency:staff_new": ("get", None, STAFF_ONLY_LEADER),
    "agency:staff_deactivate": ("post", "staff", staff(leader=302)),
    "agency:trail": ("get", None, STAFF_ONLY_LEADER),
}
