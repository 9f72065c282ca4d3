"""The language audit pages for the access-matrix test (tests/access/test_access_matrix.py)."""

from __future__ import annotations

from tests.access.test_access_matrix import staff

ROUTES = {
    # Agency documents: leaders only.
    "language:document_audit": ("get", None, staff(leader=200)),
    # An empty POST asks for nothing to download; the leader is sent back to the audit page.
    "language:report_download": ("post", None, staff(leader=302)),
    # A private draft-note check for whoever writes notes: therapists and supervisors.
    "language:note_check": (
        "get",
        None,
        staff(therapist_a=200, therapist_b=200, supervisor=200),
    ),
}
