"""Keep link tokens, email addresses and phone numbers out of every log line.

Attune's own code never logs a token, a contact detail or a client's name; this is the second
line.  ``RedactSecrets`` rewrites each record's final text (message and traceback) before any
handler formats it: the path of a client link becomes ``/c/[link]/``, an email address
``[email]``, an international phone number ``[phone]``.  It is installed on Django's handlers
(settings.LOGGING, which also covers django.request's "Not Found: <path>" lines and the task
worker) and on gunicorn's error and access logs (``attune.config.gunicorn_logging``,
which ``attune serve`` passes as gunicorn's logger class).  Names cannot be recognised by a
pattern, so they are kept out at the source; a test greps the logs of a whole client journey
for them.
"""

from __future__ import annotations

import logging
import re

# Every path segment after /c/ except the fixed pages there (/c/ itself and /c/language/).
LINK_PATH = re.compile(r"(/c/)(?!language(?:/|\b))[^/?#\s\"']+", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "+1 555 0100", "+44 (20) 7946-0958": a plus sign, then at least seven digits and separators.
PHONE = re.compile(r"\+\d[\d ().-]{5,}\d")


def redact(text: str) -> str:
    """Return ``text`` with link tokens, email addresses and phone numbers replaced."""
    text = LINK_PATH.sub(r"\1[link]", text)
    text = EMAIL.sub("[email]", text)
    return PHONE.sub("[phone]", text)


class RedactSecrets(logging.Filter):
    """A logging filter that redacts the record's message and traceback in place."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep only the format string, redacted
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
