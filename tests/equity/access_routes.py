"""The equity dashboard's routes for the access matrix (tests/access/test_access_matrix.py)."""

from __future__ import annotations

from tests.access.test_access_matrix import staff

ROUTES = {
    "equity:dashboard": ("get", None, staff(leader=200)),
    "equity:report_pdf": ("get", None, staff(leader=200)),
}
