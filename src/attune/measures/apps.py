from django.apps import AppConfig
from django.core import checks


class MeasuresConfig(AppConfig):
    name = "attune.measures"
    label = "measures"

    def ready(self) -> None:
        # Registers the "checkin" link purpose with the clients app's link pages.
        from attune.measures import client_pages  # noqa: F401

        checks.register(check_signal_rules)
        checks.register(check_sms_settings)


def check_signal_rules(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse to start with unusable ATTUNE_SIGNAL_RULES rather than fail on a client's answers."""
    from attune.measures.queries import rule_settings

    try:
        rule_settings()
    except (TypeError, ValueError) as error:
        return [checks.Error(f"ATTUNE_SIGNAL_RULES: {error}", id="measures.E001")]
    return []


def check_sms_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse to start with a Twilio backend that could not send, or unreadable quiet hours."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from attune.measures.sms import quiet_hours

    found: list[checks.CheckMessage] = []
    try:
        quiet_hours()
    except ImproperlyConfigured as error:
        found.append(checks.Error(str(error), id="measures.E002"))
    if settings.ATTUNE_SMS_BACKEND == "attune.measures.sms.TwilioSmsBackend":
        missing = [
            name
            for name in ("ATTUNE_TWILIO_ACCOUNT_SID", "ATTUNE_TWILIO_AUTH_TOKEN")
            if not getattr(settings, name)
        ]
        if not (settings.ATTUNE_TWILIO_FROM or settings.ATTUNE_TWILIO_MESSAGING_SERVICE_SID):
            missing.append("ATTUNE_TWILIO_FROM or ATTUNE_TWILIO_MESSAGING_SERVICE_SID")
        if missing:
            found.append(
                checks.Error(
                    "The Twilio text-message backend needs " + ", ".join(missing) + ".",
                    id="measures.E003",
                )
            )
    return found
