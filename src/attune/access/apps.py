from django.apps import AppConfig
from django.core import checks


class AccessConfig(AppConfig):
    name = "attune.access"
    label = "access"

    def ready(self) -> None:
        # Registers the object permissions with ``rules``.
        from attune.access import policy  # noqa: F401
        from attune.access.checks import check_email_backend, check_proxy_settings

        checks.register(check_proxy_settings, checks.Tags.security, deploy=True)
        checks.register(check_email_backend, checks.Tags.security, deploy=True)
