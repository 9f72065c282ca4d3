from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "attune.clients"
    label = "clients"

    def ready(self) -> None:
        # Registers the clients app's own link page (the profile check).
        from attune.clients import client_views  # noqa: F401
