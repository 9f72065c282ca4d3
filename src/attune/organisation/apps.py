from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "attune.organisation"
    label = "organisation"
