"""gunicorn's logger with Attune's redaction on its error and access logs (``attune serve``)."""

from __future__ import annotations

from gunicorn.glogging import Logger

from attune.config.log_redaction import RedactSecrets


class RedactingLogger(Logger):
    """Every access-log and error-log line passes ``RedactSecrets`` before it is written.

    The access log's path is where a link's token would otherwise land (``/c/<token>/``); the
    error log repeats the path of a request that failed.
    """

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(existing, RedactSecrets) for existing in log.filters):
                log.addFilter(RedactSecrets())
