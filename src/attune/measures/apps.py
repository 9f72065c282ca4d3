from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "attune.measures"
    label = "measures"
