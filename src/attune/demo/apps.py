from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "attune.demo"
    label = "demo"
