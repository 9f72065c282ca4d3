from django.apps import AppConfig
from django.core import checks


class ClientsConfig(AppConfig):
    name = "attune.clients"
    label = "clients"

    def ready(self) -> None:
        # Registers the clients app's own link page (the profile check).
        from attune.clients import client_pages  # noqa: F401
        from attune.clients.checks import check_field_keys_decrypt, check_field_keys_parse

        checks.register(check_field_keys_parse, checks.Tags.security)
        checks.register(check_field_keys_decrypt, checks.Tags.security, deploy=True)
