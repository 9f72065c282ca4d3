"""Count the SMS segments of the check-in texts in each client language.

Run: PYTHONPATH=src ATTUNE_AUTOGENERATE_SECRETS=true ATTUNE_VAR_DIR=/tmp/attune-bench \
     python bench/sms/segments.py
The link is as long as a real one (a 43-character token under an agency's address); the agency
name is the demo's.  Prints one line per language and message.
"""

from __future__ import annotations

import os
import secrets

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from attune.measures.sms import sms_segments  # noqa: E402

AGENCY = "Riverside Counselling"
URL = f"https://attune.example.org/c/{secrets.token_urlsafe(32)}/"


def main() -> None:
    print(f"{'lang':5} {'message':11} {'encoding':8} {'units':>5} {'segments':>8}")
    for language, _name in settings.CLIENT_LANGUAGES:
        with translation.override(language):
            invitation = _("%(agency)s invites your feedback: %(url)s") % {
                "agency": AGENCY,
                "url": URL,
            }
            help_reply = (
                _("%(agency)s: we send you private links to share feedback.") % {"agency": AGENCY}
                + " "
                + _("To reach us: %(contact)s.") % {"contact": "555-0100"}
                + " "
                + _("Reply STOP to stop texts.")
            )
        for what, text in (("invitation", invitation), ("help reply", help_reply)):
            encoding, units, segments = sms_segments(text)
            print(f"{language:5} {what:11} {encoding:8} {units:5d} {segments:8d}")


if __name__ == "__main__":
    main()
