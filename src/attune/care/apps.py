from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "attune.care"
    label = "care"

    def ready(self) -> None:
        # Registers the plan and adaptation pages a client opens through a private link.
        from attune.care.views import client_pages  # noqa: F401
