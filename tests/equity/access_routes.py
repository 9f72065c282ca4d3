"""The equity dashboard's routes for the access matrix (tests/access/test_access_matrix.py)."""

from __future__ import annotations

from tests.access.test_access_matrix import staff

ROUTES = {
    "equity:dashboard": ("get", None, staff(leader=200)),
    # No figures computed yet in the matrix's agency: the PDF sends the leader to the page.
    "equity:report_pdf": ("get", None, staff(leader=302)),
    "equity:refresh": ("post", None, staff(leader=302)),
}
