from django.apps import AppConfig
from django.core import checks


class MeasuresConfig(AppConfig):
    name = "attune.measures"
    label = "measures"

    def ready(self) -> None:
        # Registers the "checkin" link purpose with the clients app's link pages.
        from attune.measures import client_pages  # noqa: F401

        checks.register(check_signal_rules)


def check_signal_rules(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse to start with unusable ATTUNE_SIGNAL_RULES rather than fail on a client's answers."""
    from attune.measures.services import rule_settings

    try:
        rule_settings()
    except (TypeError, ValueError) as error:
        return [checks.Error(f"ATTUNE_SIGNAL_RULES: {error}", id="measures.E001")]
    return []
