from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "attune.roster"
    label = "roster"

    def ready(self) -> None:
        # Registers the import permission with ``rules`` (a leader's task only).
        from attune.roster import permissions  # noqa: F401
