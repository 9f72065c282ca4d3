from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "attune.community"
    label = "community"
