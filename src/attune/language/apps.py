from django.apps import AppConfig


class LanguageConfig(AppConfig):
    name = "attune.language"
    label = "language"
