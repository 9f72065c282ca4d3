from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "attune.relationships"
    label = "relationships"
