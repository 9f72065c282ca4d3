from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "attune.access"
    label = "access"

    def ready(self) -> None:
        # Registers the object permissions with ``rules``.
        from attune.access import policy  # noqa: F401
