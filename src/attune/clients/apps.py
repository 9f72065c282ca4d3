from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "attune.clients"
    label = "clients"
