from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "attune.agency"
    label = "agency"
