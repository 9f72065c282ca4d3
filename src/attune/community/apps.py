from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "attune.community"
    label = "community"

    def ready(self) -> None:
        # Registers the client's referral-feedback page with the private-link dispatcher.
        from attune.community import views  # noqa: F401
